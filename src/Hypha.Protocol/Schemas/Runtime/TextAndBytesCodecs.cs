using Hypha.Protocol.MsgPack;

namespace Hypha.Protocol.Schemas;

/// <summary>string: varint length and UTF-8; str in msgpack.</summary>
internal sealed class StringCodec : ValueCodec
{
    public static StringCodec Instance { get; } = new();

    public override bool Accepts(object value) => value is string;

    public override object Read(ref SchemaReader reader) => reader.ReadString();

    public override void Write(ref SchemaWriter writer, object value) => writer.WriteString((string)value);

    public override void WriteMsgPack(ref MsgPackWriter writer, object value) => writer.Write((string)value);

    public override bool TryReadMsgPack(ref MsgPackReader reader, out object? value)
    {
        bool ok = SchemaMsgPack.TryReadString(ref reader, out string text);
        value = text;
        return ok;
    }
}

/// <summary>bytes: varint length and raw bytes; bin in msgpack.</summary>
internal sealed class BytesCodec : ValueCodec
{
    public static BytesCodec Instance { get; } = new();

    public override bool Accepts(object value) => value is ReadOnlyMemory<byte>;

    public override object Read(ref SchemaReader reader) => reader.ReadBytes();

    public override void Write(ref SchemaWriter writer, object value) => writer.WriteBytes(((ReadOnlyMemory<byte>)value).Span);

    public override void WriteMsgPack(ref MsgPackWriter writer, object value) => writer.WriteBinary(((ReadOnlyMemory<byte>)value).Span);

    public override bool TryReadMsgPack(ref MsgPackReader reader, out object? value)
    {
        bool ok = SchemaMsgPack.TryReadBytes(ref reader, out ReadOnlyMemory<byte> bytes);
        value = bytes;
        return ok;
    }
}

/// <summary>any: one msgpack value, as is, in both forms.</summary>
internal sealed class AnyCodec : ValueCodec
{
    public static AnyCodec Instance { get; } = new();

    public override bool Accepts(object value) => value is RawMsgPack;

    public override object Read(ref SchemaReader reader) => reader.ReadAny();

    public override void Write(ref SchemaWriter writer, object value) => writer.WriteAny((RawMsgPack)value);

    public override void WriteMsgPack(ref MsgPackWriter writer, object value) => writer.WriteRaw(((RawMsgPack)value).Bytes.Span);

    public override bool TryReadMsgPack(ref MsgPackReader reader, out object? value)
    {
        value = SchemaMsgPack.ReadAny(ref reader);
        return true;
    }
}
