using System.Buffers;

namespace Hypha.Server.Connections;

/// <summary>
/// Assembles one WebSocket message from its fragments in a pooled array, growing by doubling. Growth stops just past
/// the frame limit, so an oversized message is detected after reading at most one byte too many.
/// </summary>
internal sealed class FrameBuffer : IDisposable
{
    private const int InitialSize = 16 * 1024;

    // A buffer grown past this for one large message goes back to the pool afterwards, so idle connections stay small.
    private const int KeepSize = 256 * 1024;

    private readonly int _limit;
    private byte[] _buffer;
    private int _length;

    /// <summary>Creates a buffer for messages of at most <paramref name="limit"/> bytes.</summary>
    public FrameBuffer(int limit)
    {
        _limit = limit;
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Min(InitialSize, limit + 1));
    }

    /// <summary>True once the message holds more than the limit.</summary>
    public bool IsOverLimit => _length > _limit;

    /// <summary>The message so far.</summary>
    public ReadOnlyMemory<byte> Written => _buffer.AsMemory(0, _length);

    /// <summary>Free space for the next fragment, grown when the buffer is full.</summary>
    public Memory<byte> GetFreeMemory()
    {
        if (_length == _buffer.Length)
        {
            int size = (int)Math.Min((long)_buffer.Length * 2, (long)_limit + 1);
            byte[] larger = ArrayPool<byte>.Shared.Rent(Math.Max(size, _length + 1));
            _buffer.AsSpan(0, _length).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }

        return _buffer.AsMemory(_length);
    }

    /// <summary>Records that <paramref name="count"/> bytes were received into <see cref="GetFreeMemory"/>.</summary>
    public void Advance(int count) => _length += count;

    /// <summary>Forgets the message, ready for the next one.</summary>
    public void Reset()
    {
        _length = 0;
        if (_buffer.Length > KeepSize)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = ArrayPool<byte>.Shared.Rent(InitialSize);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
        _length = 0;
    }
}
