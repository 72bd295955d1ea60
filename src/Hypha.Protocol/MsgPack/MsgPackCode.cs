namespace Hypha.Protocol.MsgPack;

/// <summary>The first byte of every msgpack format, as named by the msgpack specification.</summary>
public static class MsgPackCode
{
    /// <summary>Largest value of the positive fixint range (0x00-0x7f).</summary>
    public const byte MaxPositiveFixInt = 0x7f;
    /// <summary>First byte of a fixmap (0x80-0x8f); the low nibble is the entry count.</summary>
    public const byte MinFixMap = 0x80;
    /// <summary>Last byte of the fixmap range.</summary>
    public const byte MaxFixMap = 0x8f;
    /// <summary>First byte of a fixarray (0x90-0x9f); the low nibble is the element count.</summary>
    public const byte MinFixArray = 0x90;
    /// <summary>Last byte of the fixarray range.</summary>
    public const byte MaxFixArray = 0x9f;
    /// <summary>First byte of a fixstr (0xa0-0xbf); the low five bits are the byte length.</summary>
    public const byte MinFixStr = 0xa0;
    /// <summary>Last byte of the fixstr range.</summary>
    public const byte MaxFixStr = 0xbf;
    /// <summary>nil.</summary>
    public const byte Nil = 0xc0;
    /// <summary>Never used by the specification; always malformed.</summary>
    public const byte NeverUsed = 0xc1;
    /// <summary>false.</summary>
    public const byte False = 0xc2;
    /// <summary>true.</summary>
    public const byte True = 0xc3;
    /// <summary>bin 8: one length byte.</summary>
    public const byte Bin8 = 0xc4;
    /// <summary>bin 16: big-endian u16 length.</summary>
    public const byte Bin16 = 0xc5;
    /// <summary>bin 32: big-endian u32 length.</summary>
    public const byte Bin32 = 0xc6;
    /// <summary>ext 8: one length byte, then the type byte.</summary>
    public const byte Ext8 = 0xc7;
    /// <summary>ext 16: u16 length, then the type byte.</summary>
    public const byte Ext16 = 0xc8;
    /// <summary>ext 32: u32 length, then the type byte.</summary>
    public const byte Ext32 = 0xc9;
    /// <summary>float 32 (IEEE 754 single, big-endian).</summary>
    public const byte Float32 = 0xca;
    /// <summary>float 64 (IEEE 754 double, big-endian).</summary>
    public const byte Float64 = 0xcb;
    /// <summary>uint 8.</summary>
    public const byte UInt8 = 0xcc;
    /// <summary>uint 16.</summary>
    public const byte UInt16 = 0xcd;
    /// <summary>uint 32.</summary>
    public const byte UInt32 = 0xce;
    /// <summary>uint 64.</summary>
    public const byte UInt64 = 0xcf;
    /// <summary>int 8.</summary>
    public const byte Int8 = 0xd0;
    /// <summary>int 16.</summary>
    public const byte Int16 = 0xd1;
    /// <summary>int 32.</summary>
    public const byte Int32 = 0xd2;
    /// <summary>int 64.</summary>
    public const byte Int64 = 0xd3;
    /// <summary>fixext 1: type byte and 1 data byte.</summary>
    public const byte FixExt1 = 0xd4;
    /// <summary>fixext 2.</summary>
    public const byte FixExt2 = 0xd5;
    /// <summary>fixext 4.</summary>
    public const byte FixExt4 = 0xd6;
    /// <summary>fixext 8.</summary>
    public const byte FixExt8 = 0xd7;
    /// <summary>fixext 16.</summary>
    public const byte FixExt16 = 0xd8;
    /// <summary>str 8: one length byte.</summary>
    public const byte Str8 = 0xd9;
    /// <summary>str 16.</summary>
    public const byte Str16 = 0xda;
    /// <summary>str 32.</summary>
    public const byte Str32 = 0xdb;
    /// <summary>array 16.</summary>
    public const byte Array16 = 0xdc;
    /// <summary>array 32.</summary>
    public const byte Array32 = 0xdd;
    /// <summary>map 16.</summary>
    public const byte Map16 = 0xde;
    /// <summary>map 32.</summary>
    public const byte Map32 = 0xdf;
    /// <summary>First byte of the negative fixint range (0xe0-0xff, values -32..-1).</summary>
    public const byte MinNegativeFixInt = 0xe0;

    /// <summary>The extension type code reserved by the specification for timestamps.</summary>
    public const sbyte TimestampExtensionType = -1;

    /// <summary>Tells which family of values a format byte starts.</summary>
    public static MsgPackType ToType(byte code) => code switch
    {
        <= MaxPositiveFixInt => MsgPackType.Integer,
        <= MaxFixMap => MsgPackType.Map,
        <= MaxFixArray => MsgPackType.Array,
        <= MaxFixStr => MsgPackType.String,
        Nil => MsgPackType.Nil,
        NeverUsed => MsgPackType.Unknown,
        False or True => MsgPackType.Boolean,
        Bin8 or Bin16 or Bin32 => MsgPackType.Binary,
        Ext8 or Ext16 or Ext32 => MsgPackType.Extension,
        Float32 or Float64 => MsgPackType.Float,
        >= UInt8 and <= Int64 => MsgPackType.Integer,
        >= FixExt1 and <= FixExt16 => MsgPackType.Extension,
        Str8 or Str16 or Str32 => MsgPackType.String,
        Array16 or Array32 => MsgPackType.Array,
        Map16 or Map32 => MsgPackType.Map,
        _ => MsgPackType.Integer,
    };
}
