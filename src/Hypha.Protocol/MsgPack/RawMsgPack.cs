namespace Hypha.Protocol.MsgPack;

/// <summary>
/// One msgpack value kept as its encoded bytes: a schema's <c>any</c> field. Bytes from outside are checked to be
/// exactly one well-formed value when the struct is created, and decoded only when someone asks. The default value
/// is nil.
/// </summary>
public readonly struct RawMsgPack : IEquatable<RawMsgPack>
{
    private static readonly byte[] NilBytes = [MsgPackCode.Nil];
    private readonly ReadOnlyMemory<byte> _bytes;

    private RawMsgPack(ReadOnlyMemory<byte> bytes)
    {
        _bytes = bytes;
    }

    /// <summary>The encoded value.</summary>
    public ReadOnlyMemory<byte> Bytes => _bytes.IsEmpty ? NilBytes : _bytes;

    /// <summary>The msgpack nil value.</summary>
    public static RawMsgPack Nil => default;

    /// <summary>True when the value is nil.</summary>
    public bool IsNil => _bytes.IsEmpty || _bytes.Span[0] == MsgPackCode.Nil;

    /// <summary>
    /// Wraps bytes that must hold exactly one msgpack value, nested at most <paramref name="maxDepth"/> deep. The
    /// bytes are kept, not copied.
    /// </summary>
    /// <exception cref="MsgPackException">The bytes are not exactly one well-formed value.</exception>
    public static RawMsgPack Create(ReadOnlyMemory<byte> bytes, int maxDepth = 64)
    {
        MsgPackReadStatus status = MsgPackPrimitives.TryMeasureValue(bytes.Span, maxDepth, out int length);
        if (status != MsgPackReadStatus.Success)
        {
            throw new MsgPackException(status == MsgPackReadStatus.NeedMoreData ? "The value is truncated" : "The value is malformed or nested too deep", 0);
        }

        return length == bytes.Length
            ? new RawMsgPack(bytes)
            : throw new MsgPackException($"{bytes.Length - length} bytes follow the value", length);
    }

    /// <summary>
    /// Takes the value at the start of <paramref name="source"/>, returning its length in <paramref name="length"/>;
    /// false when no whole, well-formed value starts there.
    /// </summary>
    public static bool TryTake(ReadOnlyMemory<byte> source, int maxDepth, out RawMsgPack value, out int length)
    {
        if (MsgPackPrimitives.TryMeasureValue(source.Span, maxDepth, out length) == MsgPackReadStatus.Success)
        {
            value = new RawMsgPack(source[..length]);
            return true;
        }

        value = default;
        return false;
    }

    /// <summary>Wraps bytes the caller has already checked to be exactly one value.</summary>
    internal static RawMsgPack Trusted(ReadOnlyMemory<byte> bytes) => new(bytes);

    /// <summary>Encodes a value model.</summary>
    public static RawMsgPack From(MsgPackValue value)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        var writer = new MsgPackWriter(buffer);
        value.WriteTo(ref writer);
        writer.Flush();
        return new RawMsgPack(buffer.WrittenMemory);
    }

    /// <summary>Decodes the value into the value model.</summary>
    /// <exception cref="MsgPackException">A limit of <paramref name="options"/> is exceeded.</exception>
    public MsgPackValue ToValue(MsgPackReaderOptions? options = null) => MsgPackValue.Parse(Bytes, options);

    /// <summary>True when both hold the same bytes.</summary>
    public bool Equals(RawMsgPack other) => Bytes.Span.SequenceEqual(other.Bytes.Span);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is RawMsgPack other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(Bytes.Span);
        return hash.ToHashCode();
    }

    /// <summary>Compares the bytes.</summary>
    public static bool operator ==(RawMsgPack left, RawMsgPack right) => left.Equals(right);

    /// <summary>Compares the bytes.</summary>
    public static bool operator !=(RawMsgPack left, RawMsgPack right) => !left.Equals(right);

    /// <summary>The value as JSON-like text, for logs and test failures.</summary>
    public override string ToString() => ToValue().ToString();
}
