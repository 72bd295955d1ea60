using System.Buffers;

namespace Hypha.Client.Rpc;

/// <summary>A message arriving in chunks through <c>message_cache</c>, bounded in size.</summary>
internal sealed class ChunkedMessage(long maxBytes)
{
    private readonly SortedDictionary<int, byte[]> _chunks = [];
    private readonly long _created = Environment.TickCount64;
    private long _size;

    public long AgeMilliseconds => Environment.TickCount64 - _created;

    public void Append(byte[] data)
    {
        lock (_chunks)
        {
            Store(_chunks.Count == 0 ? 0 : _chunks.Keys.Max() + 1, data);
        }
    }

    public void Set(int index, byte[] data)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        lock (_chunks)
        {
            Store(index, data);
        }
    }

    /// <summary>The bytes held so far.</summary>
    public long Length
    {
        get
        {
            lock (_chunks)
            {
                return _size;
            }
        }
    }

    /// <summary>
    /// The first <paramref name="count"/> bytes (all of them when there are fewer): the first chunk itself when it
    /// holds them, else those bytes joined. The chunks must run from 0 without a gap.
    /// </summary>
    public ReadOnlyMemory<byte> Head(int count)
    {
        lock (_chunks)
        {
            RequireComplete();
            byte[] first = _chunks[0];
            int length = (int)Math.Min(count, _size);
            if (first.Length >= length)
            {
                return first.AsMemory(0, length);
            }

            byte[] head = new byte[length];
            int offset = 0;
            foreach (byte[] chunk in _chunks.Values)
            {
                int take = Math.Min(chunk.Length, length - offset);
                chunk.AsSpan(0, take).CopyTo(head.AsSpan(offset));
                offset += take;
                if (offset == length)
                {
                    break;
                }
            }

            return head;
        }
    }

    /// <summary>Writes the bytes from <paramref name="offset"/> to the end into <paramref name="output"/>, chunk by chunk.</summary>
    public void CopyTo(IBufferWriter<byte> output, long offset)
    {
        lock (_chunks)
        {
            RequireComplete();
            foreach (byte[] chunk in _chunks.Values)
            {
                if (offset < chunk.Length)
                {
                    output.Write(chunk.AsSpan((int)offset));
                    offset = 0;
                }
                else
                {
                    offset -= chunk.Length;
                }
            }
        }
    }

    private void RequireComplete()
    {
        if (_chunks.Count == 0 || _chunks.Keys.Last() != _chunks.Count - 1)
        {
            throw new InvalidOperationException($"The chunked message is incomplete: {_chunks.Count} chunks, indices up to {(_chunks.Count == 0 ? -1 : _chunks.Keys.Last())}.");
        }
    }

    // Chunks may be tiny; their count is bounded apart from their bytes so that empty chunks cannot pile up.
    private const int MaxChunks = 100_000;

    private void Store(int index, byte[] data)
    {
        if (_chunks.Count >= MaxChunks && !_chunks.ContainsKey(index))
        {
            throw new InvalidOperationException($"The chunked message has more than {MaxChunks} chunks.");
        }

        long size = _size - (_chunks.TryGetValue(index, out byte[]? old) ? old.Length : 0) + data.Length;
        if (size > maxBytes)
        {
            throw new InvalidOperationException($"The chunked message exceeds the limit of {maxBytes} bytes.");
        }

        _chunks[index] = data;
        _size = size;
    }
}
