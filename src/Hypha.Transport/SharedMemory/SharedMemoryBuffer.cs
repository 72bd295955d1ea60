using System.Buffers;
using Hypha.Protocol.Native;

namespace Hypha.Transport.SharedMemory;

/// <summary>
/// Room in one of this side's shared-memory segments that the application writes a large payload into, so that
/// sending it copies nothing: the message carries a reference to these very bytes. Rented from a connection
/// (<c>Multiplexer.RentSharedMemory</c>). Disposing lets go of the segment; bytes already sent stay untouched until
/// the peer releases them, however early the buffer is disposed.
/// </summary>
public sealed class SharedMemoryBuffer : MappedMemory
{
    private readonly OwnedSegment _segment;
    private readonly int _length;

    internal SharedMemoryBuffer(OwnedSegment segment, int length)
    {
        _segment = segment;
        _length = length;
    }

    internal OwnedSegment Segment => _segment;

    /// <summary>The buffer's bytes.</summary>
    public override Span<byte> GetSpan()
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        return _segment.File.Span(SharedMemoryReference.HeaderSize, _length);
    }

    /// <inheritdoc />
    public override int Length => _length;

    private protected override void Release() => _segment.Release();
}
