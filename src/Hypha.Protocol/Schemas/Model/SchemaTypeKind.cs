namespace Hypha.Protocol.Schemas;

/// <summary>The kinds of field types of the schema language (docs/schema-language.md).</summary>
public enum SchemaTypeKind
{
    /// <summary><c>bool</c>: one byte, 0 or 1.</summary>
    Bool,

    /// <summary><c>int32</c>: a zigzag varint.</summary>
    Int32,

    /// <summary><c>int64</c>: a zigzag varint.</summary>
    Int64,

    /// <summary><c>uint32</c>: a varint.</summary>
    UInt32,

    /// <summary><c>uint64</c>: a varint.</summary>
    UInt64,

    /// <summary><c>float32</c>: 4 bytes, little-endian IEEE 754.</summary>
    Float32,

    /// <summary><c>float64</c>: 8 bytes, little-endian IEEE 754.</summary>
    Float64,

    /// <summary><c>string</c>: a varint length and UTF-8 text.</summary>
    String,

    /// <summary><c>bytes</c>: a varint length and raw bytes.</summary>
    Bytes,

    /// <summary><c>array&lt;T&gt;</c>: a varint count and the elements.</summary>
    Array,

    /// <summary><c>map&lt;string,T&gt;</c>: a varint count and key/value pairs.</summary>
    Map,

    /// <summary>A reference to another schema: its body, inline.</summary>
    Reference,

    /// <summary><c>any</c>: one msgpack value, as is.</summary>
    Any,
}
