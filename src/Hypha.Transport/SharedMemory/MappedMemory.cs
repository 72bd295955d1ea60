using System.Buffers;

namespace Hypha.Transport.SharedMemory;

/// <summary>
/// Memory in a mapped shared-memory segment, held by one owner until disposed: a payload received by reference
/// (<see cref="SharedMemoryLease"/>) or room to write one in place (<see cref="SharedMemoryBuffer"/>). Mapped memory
/// does not move, so pinning is free. Disposing lets go once; an owner forgotten without being disposed lets go when
/// it is collected, which never unmaps memory (see <c>MappedFile</c>).
/// </summary>
public abstract class MappedMemory : MemoryManager<byte>
{
    private int _disposed;

    private protected MappedMemory()
    {
    }

    /// <summary>Lets go of the memory when collected without having been disposed.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA2015", Justification = "The finalizer only releases the region for reuse; the mapping is kept alive by its own object, which every span's owner references.")]
    ~MappedMemory()
    {
        Dispose(false);
    }

    /// <summary>The bytes of the memory.</summary>
    public abstract int Length { get; }

    /// <summary>True once disposed.</summary>
    protected bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    /// <summary>Lets go of the memory; later calls do nothing.</summary>
    public void Dispose() => ((IDisposable)this).Dispose();

    /// <inheritdoc />
    public override unsafe MemoryHandle Pin(int elementIndex = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(elementIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(elementIndex, Length);
        fixed (byte* start = GetSpan())
        {
            return new MemoryHandle(start + elementIndex, pinnable: this);
        }
    }

    /// <inheritdoc />
    public override void Unpin()
    {
    }

    /// <summary>What letting go means for this owner; called once.</summary>
    private protected abstract void Release();

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            Release();
            if (disposing)
            {
                GC.SuppressFinalize(this);
            }
        }
    }
}
