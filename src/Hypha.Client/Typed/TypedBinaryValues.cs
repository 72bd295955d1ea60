using System.ComponentModel;
using Hypha.Protocol.Schemas;

namespace Hypha.Client.Typed;

/// <summary>
/// The conversions of a record's binary form that the schema primitives do not have (generated code calls them):
/// narrow integers read from a varint and checked for their range, chars, GUIDs as 16 bytes, times as UTC ticks.
/// Every value out of range is a <see cref="SchemaFormatException"/>, as any other malformed body.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class TypedBinaryValues
{
    private const int GuidLength = 16;

    /// <summary>Reads an sbyte (an int32 in range).</summary>
    public static sbyte ReadSByte(ref SchemaReader reader) => (sbyte)InRange(ref reader, reader.ReadInt32(), sbyte.MinValue, sbyte.MaxValue, "an sbyte");

    /// <summary>Reads a short (an int32 in range).</summary>
    public static short ReadInt16(ref SchemaReader reader) => (short)InRange(ref reader, reader.ReadInt32(), short.MinValue, short.MaxValue, "a short");

    /// <summary>Reads a byte (a uint32 in range).</summary>
    public static byte ReadByte(ref SchemaReader reader) => (byte)InRange(ref reader, reader.ReadUInt32(), 0, byte.MaxValue, "a byte");

    /// <summary>Reads a ushort (a uint32 in range).</summary>
    public static ushort ReadUInt16(ref SchemaReader reader) => (ushort)InRange(ref reader, reader.ReadUInt32(), 0, ushort.MaxValue, "a ushort");

    /// <summary>Reads a char (its UTF-16 code unit, a uint32 in range).</summary>
    public static char ReadChar(ref SchemaReader reader) => (char)InRange(ref reader, reader.ReadUInt32(), 0, char.MaxValue, "a char");

    /// <summary>Writes a GUID as its 16 bytes.</summary>
    public static void WriteGuid(ref SchemaWriter writer, Guid value)
    {
        Span<byte> bytes = stackalloc byte[GuidLength];
        value.TryWriteBytes(bytes);
        writer.WriteBytes(bytes);
    }

    /// <summary>Reads a GUID (exactly 16 bytes).</summary>
    public static Guid ReadGuid(ref SchemaReader reader)
    {
        int at = reader.Consumed;
        ReadOnlyMemory<byte> bytes = reader.ReadBytes();
        return bytes.Length == GuidLength ? new Guid(bytes.Span) : throw new SchemaFormatException($"A GUID takes 16 bytes, not {bytes.Length}", at);
    }

    /// <summary>Writes a time as the ticks of its UTC value (a local time is converted; an unspecified one is taken as UTC, as the msgpack timestamp does).</summary>
    public static void WriteDateTime(ref SchemaWriter writer, DateTime value) =>
        writer.WriteInt64((value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : value).Ticks);

    /// <summary>Reads a time (UTC ticks in the range of <see cref="DateTime"/>).</summary>
    public static DateTime ReadDateTime(ref SchemaReader reader) =>
        new(InRange(ref reader, reader.ReadInt64(), DateTime.MinValue.Ticks, DateTime.MaxValue.Ticks, "a time"), DateTimeKind.Utc);

    /// <summary>Reads a time with offset zero.</summary>
    public static DateTimeOffset ReadDateTimeOffset(ref SchemaReader reader) => new(ReadDateTime(ref reader));

    /// <summary>The error for a null in a field or element whose type does not allow one.</summary>
    public static InvalidOperationException UnexpectedNull(string where) =>
        new($"{where} is null, but its type does not allow null.");

    /// <summary>The error for a map key that appears twice.</summary>
    public static SchemaFormatException DuplicateKey(string key, int at) => new($"The map key \"{key}\" appears twice", at);

    private static long InRange(ref SchemaReader reader, long value, long min, long max, string what) =>
        value >= min && value <= max ? value : throw new SchemaFormatException($"{value} is out of the range of {what}", reader.Consumed);
}
