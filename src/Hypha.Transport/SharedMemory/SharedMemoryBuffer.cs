using System.Buffers;
using Hypha.Protocol.Native;

namespace Hypha.Transport.SharedMemory;

/// <summary>
/// Room in one of this side's shared-memory segments that the application writes a large payload into, so that
/// sending it copies nothing: the message carries a reference to these very bytes. Rented from a connection
/// (<c>Multiplexer.RentSharedMemory</c>). Disposing lets go of the segment; bytes already sent stay untouched until
/// the peer releases them, however early the buffer is disposed.
/// </summary>
public sealed class SharedMemoryBuffer : MemoryManager<byte>
{
    private readonly OwnedSegment _segment;
    private readonly int _length;
    private int _disposed;

    internal SharedMemoryBuffer(OwnedSegment segment, int length)
    {
        _segment = segment;
        _length = length;
    }

    /// <summary>A forgotten buffer lets go of its segment when collected; this never unmaps memory (see <see cref="MappedFile"/>).</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA2015", Justification = "The finalizer only releases the region for reuse; the mapping is kept alive by its own object, which every span's owner references.")]
    ~SharedMemoryBuffer()
    {
        Dispose(false);
    }

    internal OwnedSegment Segment => _segment;

    /// <summary>The buffer's bytes.</summary>
    public override Span<byte> GetSpan()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return _segment.File.Span(SharedMemoryReference.HeaderSize, _length);
    }

    /// <summary>Mapped memory does not move: pinning is free.</summary>
    public override unsafe MemoryHandle Pin(int elementIndex = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(elementIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(elementIndex, _length);
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
            _segment.Release();
            if (disposing)
            {
                GC.SuppressFinalize(this);
            }
        }
    }
}
