using Hypha.Protocol.MsgPack;

namespace Hypha.Protocol.Schemas;

/// <summary>
/// The run-time codec of one field type, built once when a schema is compiled: no type text is looked at while
/// messages are encoded or decoded. Its bytes are those of the generated code for the same type.
/// </summary>
internal abstract class ValueCodec
{
    /// <summary>True when <paramref name="value"/> has the .NET type this codec expects.</summary>
    public abstract bool Accepts(object value);

    public abstract object Read(ref SchemaReader reader);

    public abstract void Write(ref SchemaWriter writer, object value);

    public abstract void WriteMsgPack(ref MsgPackWriter writer, object value);

    public abstract bool TryReadMsgPack(ref MsgPackReader reader, out object? value);

    /// <summary>The codec of <paramref name="type"/>; references resolve through <paramref name="compiler"/>, lazily, so cycles work.</summary>
    public static ValueCodec For(SchemaType type, Func<string, CompiledSchema> compiler) => type.Kind switch
    {
        SchemaTypeKind.Array => new ArrayCodec(For(type.Element!, compiler)),
        SchemaTypeKind.Map => new MapCodec(For(type.Element!, compiler)),
        SchemaTypeKind.Reference => new RecordCodec(type.Reference!, compiler),
        SchemaTypeKind.String => StringCodec.Instance,
        SchemaTypeKind.Bytes => BytesCodec.Instance,
        SchemaTypeKind.Any => AnyCodec.Instance,
        _ => new ScalarCodec(type.Kind),
    };
}
