using System.Buffers;

namespace Hypha.Protocol.Tests.MsgPack;

/// <summary>
/// An <see cref="IBufferWriter{T}"/> that hands out spans of exactly the hinted size (at least one byte) plus at
/// most <c>maxExtra</c> bytes, each in a fresh array. Bytes are only kept when advanced, so a writer that writes into
/// a stale span, or past what it advanced, produces wrong output instead of passing by accident.
/// </summary>
internal sealed class TinySpanBufferWriter : IBufferWriter<byte>
{
    private readonly List<byte> _written = [];
    private readonly Random _random;
    private readonly int _maxExtra;
    private byte[]? _current;

    public TinySpanBufferWriter(int maxExtra = 0, int seed = 1)
    {
        _maxExtra = maxExtra;
        _random = new Random(seed);
    }

    /// <summary>How many spans were handed out.</summary>
    public int SpanCount { get; private set; }

    /// <summary>Everything advanced so far.</summary>
    public byte[] WrittenBytes => [.. _written];

    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count == 0)
        {
            return;
        }

        if (_current is null || count > _current.Length)
        {
            throw new InvalidOperationException($"Advance({count}) beyond the {_current?.Length ?? 0} bytes handed out.");
        }

        _written.AddRange(_current.AsSpan(0, count));
        _current = null; // the next write needs a new span
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sizeHint);
        SpanCount++;
        _current = new byte[Math.Max(sizeHint, 1) + (_maxExtra == 0 ? 0 : _random.Next(_maxExtra + 1))];
        _random.NextBytes(_current); // garbage, so that unwritten bytes are noticed
        return _current;
    }

    public Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;
}
