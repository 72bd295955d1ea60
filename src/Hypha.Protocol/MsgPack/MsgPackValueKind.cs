namespace Hypha.Protocol.MsgPack;

/// <summary>What a <see cref="MsgPackValue"/> holds. Integers, float 32 and float 64 stay distinct.</summary>
public enum MsgPackValueKind : byte
{
    /// <summary>nil.</summary>
    Nil,
    /// <summary>true or false.</summary>
    Boolean,
    /// <summary>An integer that fits a <see cref="long"/>, whatever format carried it.</summary>
    Integer,
    /// <summary>An unsigned integer above <see cref="long.MaxValue"/>.</summary>
    UInt64,
    /// <summary>A float 32.</summary>
    Float32,
    /// <summary>A float 64.</summary>
    Float64,
    /// <summary>Text (msgpack str).</summary>
    String,
    /// <summary>Bytes (msgpack bin).</summary>
    Binary,
    /// <summary>An array.</summary>
    Array,
    /// <summary>A map, in its original key order.</summary>
    Map,
    /// <summary>An extension other than the timestamp.</summary>
    Extension,
    /// <summary>The timestamp extension (type -1).</summary>
    Timestamp,
}
