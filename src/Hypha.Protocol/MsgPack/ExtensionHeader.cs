namespace Hypha.Protocol.MsgPack;

/// <summary>The header of a msgpack extension value: its application type code and its data length.</summary>
/// <param name="TypeCode">The extension type; negative codes are reserved by the specification (-1 is the timestamp).</param>
/// <param name="Length">The number of data bytes that follow the header.</param>
public readonly record struct ExtensionHeader(sbyte TypeCode, uint Length);
