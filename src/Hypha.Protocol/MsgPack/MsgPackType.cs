namespace Hypha.Protocol.MsgPack;

/// <summary>The families of msgpack values, as told by a format byte.</summary>
public enum MsgPackType : byte
{
    /// <summary>The reserved byte 0xc1, which no valid document contains.</summary>
    Unknown,
    /// <summary>nil.</summary>
    Nil,
    /// <summary>true or false.</summary>
    Boolean,
    /// <summary>Any signed or unsigned integer format.</summary>
    Integer,
    /// <summary>float 32 or float 64.</summary>
    Float,
    /// <summary>UTF-8 text (str).</summary>
    String,
    /// <summary>Raw bytes (bin).</summary>
    Binary,
    /// <summary>An array.</summary>
    Array,
    /// <summary>A map.</summary>
    Map,
    /// <summary>An extension, including the timestamp extension.</summary>
    Extension,
}
