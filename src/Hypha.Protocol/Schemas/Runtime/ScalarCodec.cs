using Hypha.Protocol.MsgPack;

namespace Hypha.Protocol.Schemas;

/// <summary>bool, the integers and the floats.</summary>
internal sealed class ScalarCodec(SchemaTypeKind kind) : ValueCodec
{
    public override bool Accepts(object value) => kind switch
    {
        SchemaTypeKind.Bool => value is bool,
        SchemaTypeKind.Int32 => value is int,
        SchemaTypeKind.Int64 => value is long,
        SchemaTypeKind.UInt32 => value is uint,
        SchemaTypeKind.UInt64 => value is ulong,
        SchemaTypeKind.Float32 => value is float,
        _ => value is double,
    };

    public override object Read(ref SchemaReader reader) => kind switch
    {
        SchemaTypeKind.Bool => reader.ReadBool(),
        SchemaTypeKind.Int32 => reader.ReadInt32(),
        SchemaTypeKind.Int64 => reader.ReadInt64(),
        SchemaTypeKind.UInt32 => reader.ReadUInt32(),
        SchemaTypeKind.UInt64 => reader.ReadUInt64(),
        SchemaTypeKind.Float32 => reader.ReadFloat32(),
        _ => reader.ReadFloat64(),
    };

    public override void Write(ref SchemaWriter writer, object value)
    {
        switch (kind)
        {
            case SchemaTypeKind.Bool: writer.WriteBool((bool)value); break;
            case SchemaTypeKind.Int32: writer.WriteInt32((int)value); break;
            case SchemaTypeKind.Int64: writer.WriteInt64((long)value); break;
            case SchemaTypeKind.UInt32: writer.WriteUInt32((uint)value); break;
            case SchemaTypeKind.UInt64: writer.WriteUInt64((ulong)value); break;
            case SchemaTypeKind.Float32: writer.WriteFloat32((float)value); break;
            default: writer.WriteFloat64((double)value); break;
        }
    }

    public override void WriteMsgPack(ref MsgPackWriter writer, object value)
    {
        switch (kind)
        {
            case SchemaTypeKind.Bool: writer.Write((bool)value); break;
            case SchemaTypeKind.Int32: writer.Write((long)(int)value); break;
            case SchemaTypeKind.Int64: writer.Write((long)value); break;
            case SchemaTypeKind.UInt32: writer.Write((ulong)(uint)value); break;
            case SchemaTypeKind.UInt64: writer.Write((ulong)value); break;
            case SchemaTypeKind.Float32: writer.Write((float)value); break;
            default: writer.Write((double)value); break;
        }
    }

    public override bool TryReadMsgPack(ref MsgPackReader reader, out object? value)
    {
        bool ok;
        switch (kind)
        {
            case SchemaTypeKind.Bool: ok = SchemaMsgPack.TryReadBool(ref reader, out bool b); value = b; break;
            case SchemaTypeKind.Int32: ok = SchemaMsgPack.TryReadInt32(ref reader, out int i); value = i; break;
            case SchemaTypeKind.Int64: ok = SchemaMsgPack.TryReadInt64(ref reader, out long l); value = l; break;
            case SchemaTypeKind.UInt32: ok = SchemaMsgPack.TryReadUInt32(ref reader, out uint u); value = u; break;
            case SchemaTypeKind.UInt64: ok = SchemaMsgPack.TryReadUInt64(ref reader, out ulong ul); value = ul; break;
            case SchemaTypeKind.Float32: ok = SchemaMsgPack.TryReadFloat32(ref reader, out float f); value = f; break;
            default: ok = SchemaMsgPack.TryReadFloat64(ref reader, out double d); value = d; break;
        }

        return ok;
    }
}
