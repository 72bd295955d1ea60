using System.Buffers;

namespace Hypha.Protocol.Buffers;

/// <summary>
/// Assembles one incoming message from its pieces in a pooled array that grows by doubling, never past the limit:
/// the caller checks declared lengths against the limit before it copies anything in.
/// </summary>
internal sealed class MessageBuffer : IDisposable
{
    private const int InitialSize = 16 * 1024;

    // A buffer grown past this for one large message goes back to the pool afterwards, so idle connections stay small.
    private const int KeepSize = 256 * 1024;

    private readonly int _limit;
    private byte[] _buffer;
    private int _length;

    /// <summary>Creates a buffer for messages of at most <paramref name="limit"/> bytes.</summary>
    public MessageBuffer(int limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        _limit = limit;
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Min(InitialSize, Math.Max(limit, 1)));
    }

    /// <summary>The bytes of the message so far.</summary>
    public int Length => _length;

    /// <summary>The message so far.</summary>
    public ReadOnlyMemory<byte> Written => _buffer.AsMemory(0, _length);

    /// <summary>Free space for the next piece, grown (up to the limit) when the buffer is full; empty at the limit.</summary>
    public Memory<byte> GetFreeMemory()
    {
        if (_length == _buffer.Length && _length < _limit)
        {
            byte[] larger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)_buffer.Length * 2, _limit));
            _buffer.AsSpan(0, _length).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }

        return _buffer.AsMemory(_length, Math.Min(_buffer.Length, _limit) - _length);
    }

    /// <summary>Records that <paramref name="count"/> bytes were written into <see cref="GetFreeMemory"/>.</summary>
    public void Advance(int count) => _length += count;

    /// <summary>Forgets the message, ready for the next one.</summary>
    public void Reset()
    {
        _length = 0;
        if (_buffer.Length > KeepSize)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = ArrayPool<byte>.Shared.Rent(Math.Min(InitialSize, Math.Max(_limit, 1)));
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        byte[] buffer = _buffer;
        _buffer = [];
        _length = 0;
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
