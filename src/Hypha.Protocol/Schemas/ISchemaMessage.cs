using Hypha.Protocol.MsgPack;

namespace Hypha.Protocol.Schemas;

/// <summary>
/// A message type compiled from a schema: the type carries its own codecs as static members, so that encoding and
/// decoding involve no reflection, no lookup by field name and no boxing (the source generator implements this for
/// every <c>*.schema.json</c> file; docs/schema-language.md).
/// </summary>
/// <typeparam name="TSelf">The message type itself.</typeparam>
public interface ISchemaMessage<TSelf>
    where TSelf : class, ISchemaMessage<TSelf>
{
    /// <summary>The schema's id, fingerprint and definition.</summary>
    static abstract SchemaInfo Schema { get; }

    /// <summary>Plans the interned fields of <paramref name="value"/>, in field order (first pass of a top-level message).</summary>
    static abstract void PlanInterned(ref SchemaWriter writer, TSelf value);

    /// <summary>Writes the binary body of <paramref name="value"/>: presence bits, then the fields in index order.</summary>
    static abstract void Write(ref SchemaWriter writer, TSelf value);

    /// <summary>Reads a binary body.</summary>
    /// <exception cref="SchemaFormatException">The bytes do not decode.</exception>
    static abstract TSelf Read(ref SchemaReader reader);

    /// <summary>
    /// Reads a binary body into <paramref name="value"/>, replacing every field (an absent optional field becomes null):
    /// a receiver that handles one message at a time reuses one instance.
    /// </summary>
    /// <exception cref="SchemaFormatException">The bytes do not decode; <paramref name="value"/> then holds part of the body.</exception>
    static abstract void Read(ref SchemaReader reader, TSelf value);

    /// <summary>Writes the msgpack form: one map per segment, keyed by field names, absent optional fields left out.</summary>
    static abstract void WriteMsgPack(ref MsgPackWriter writer, TSelf value);

    /// <summary>
    /// Reads the msgpack form, or returns null when the maps are not of this schema's shape (an unknown key, a key
    /// in the wrong segment, a value of another type, a required field missing).
    /// </summary>
    /// <exception cref="MsgPackException">The msgpack itself is malformed or over a reader limit.</exception>
    static abstract TSelf? TryReadMsgPack(ref MsgPackReader reader);
}
