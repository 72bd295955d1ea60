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

    /// <summary>The chunks joined in order; they must run from 0 without a gap.</summary>
    public byte[] Assemble()
    {
        lock (_chunks)
        {
            if (_chunks.Count == 0 || _chunks.Keys.Last() != _chunks.Count - 1)
            {
                throw new InvalidOperationException($"The chunked message is incomplete: {_chunks.Count} chunks, indices up to {(_chunks.Count == 0 ? -1 : _chunks.Keys.Last())}.");
            }

            var whole = new byte[_size];
            int offset = 0;
            foreach (byte[] chunk in _chunks.Values)
            {
                chunk.CopyTo(whole, offset);
                offset += chunk.Length;
            }

            return whole;
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
