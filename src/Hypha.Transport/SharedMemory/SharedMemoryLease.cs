using System.Buffers;
using Hypha.Protocol.Native;

namespace Hypha.Transport.SharedMemory;

/// <summary>
/// A payload received by reference in shared memory, as the application holds it: the bytes are the sender's, mapped
/// here with no copy. <see cref="Open"/> maps them (a missing segment or a stale reference fails there); disposing the
/// last lease on them tells the sender it may reuse the region. A lease forgotten without being disposed is released
/// when it is collected. Leases can be shared (<see cref="Share"/>): the payload is released when all are disposed.
/// </summary>
public sealed class SharedMemoryLease : MemoryManager<byte>
{
    private readonly SharedMemoryRegion _region;
    private int _disposed;

    internal SharedMemoryLease(SharedMemoryRegion region)
    {
        _region = region;
    }

    /// <summary>A forgotten lease lets go of its payload when collected; this never unmaps memory (see <see cref="MappedFile"/>).</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA2015", Justification = "The finalizer only releases the region for reuse; the mapping is kept alive by its own object, which every span's owner references.")]
    ~SharedMemoryLease()
    {
        Dispose(false);
    }

    /// <summary>Where the payload lies: segment, offset, length and generation.</summary>
    public SharedMemoryReference Reference => _region.Reference;

    /// <summary>The directory of the segment.</summary>
    public string Directory => _region.Directory;

    /// <summary>The payload's length in bytes.</summary>
    public int Length => _region.Reference.Length;

    /// <summary>Maps the payload (once; later calls return at once), so that its bytes can be read.</summary>
    /// <exception cref="SharedMemoryException">The segment is gone, is not a segment, or now holds another payload.</exception>
    public void Open()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        _region.Open();
    }

    /// <summary>Another lease on the same payload, released independently.</summary>
    public SharedMemoryLease Share()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        _region.AddLease();
        return new SharedMemoryLease(_region);
    }

    /// <summary>
    /// The payload as memory. Taking it maps nothing: a lease passed on to another peer travels by its reference and is
    /// never mapped here; reading its span needs <see cref="Open"/>.
    /// </summary>
    public override Memory<byte> Memory => CreateMemory(Length);

    /// <summary>The payload's bytes; <see cref="Open"/> must have succeeded.</summary>
    public override Span<byte> GetSpan()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return _region.Span();
    }

    /// <summary>Mapped memory does not move: pinning is free.</summary>
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

    /// <summary>Lets go of the bytes (see the class remarks); later calls do nothing.</summary>
    public void Dispose() => ((IDisposable)this).Dispose();

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _region.ReleaseLease();
            if (disposing)
            {
                GC.SuppressFinalize(this);
            }
        }
    }
}
