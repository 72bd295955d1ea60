using System.Buffers;
using System.ComponentModel;
using System.Globalization;
using System.Runtime.CompilerServices;
using Hypha.Protocol.MsgPack;

namespace Hypha.Client.Typed;

/// <summary>
/// Reads the scalar values of typed contracts with the conversions hypha peers need: any integer format for any
/// integer type that holds the value, a whole float for an integer (JavaScript numbers; Python's <c>2.0</c>), an
/// integer for a float. Anything else is a <see cref="MsgPackException"/> that says what was expected and what came.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class TypedValues
{
    /// <summary>Any integer, or a whole float, as a 64-bit integer.</summary>
    public static long ReadInt64(ref MsgPackReader reader)
    {
        if (reader.NextType != MsgPackType.Float)
        {
            return reader.ReadInt64();
        }

        long at = reader.Consumed;
        double value = reader.ReadDouble();
        return Math.Floor(value) == value && value >= -9.2233720368547758E18 && value < 9.2233720368547758E18
            ? (long)value
            : throw NotWhole(value, "a 64-bit integer", at);
    }

    /// <summary>Any non-negative integer, or a whole float, as an unsigned 64-bit integer.</summary>
    public static ulong ReadUInt64(ref MsgPackReader reader)
    {
        if (reader.NextType != MsgPackType.Float)
        {
            return reader.ReadUInt64();
        }

        long at = reader.Consumed;
        double value = reader.ReadDouble();
        return Math.Floor(value) == value && value >= 0 && value < 1.8446744073709552E19
            ? (ulong)value
            : throw NotWhole(value, "an unsigned 64-bit integer", at);
    }

    /// <summary>An integer that fits in 32 bits.</summary>
    public static int ReadInt32(ref MsgPackReader reader) => (int)InRange(ref reader, int.MinValue, int.MaxValue, "a 32-bit integer");

    /// <summary>An integer that fits in 16 bits.</summary>
    public static short ReadInt16(ref MsgPackReader reader) => (short)InRange(ref reader, short.MinValue, short.MaxValue, "a 16-bit integer");

    /// <summary>An integer that fits in a signed byte.</summary>
    public static sbyte ReadSByte(ref MsgPackReader reader) => (sbyte)InRange(ref reader, sbyte.MinValue, sbyte.MaxValue, "a signed byte");

    /// <summary>An integer that fits in a byte.</summary>
    public static byte ReadByte(ref MsgPackReader reader) => (byte)InRange(ref reader, byte.MinValue, byte.MaxValue, "a byte");

    /// <summary>An integer that fits in an unsigned 16-bit integer.</summary>
    public static ushort ReadUInt16(ref MsgPackReader reader) => (ushort)InRange(ref reader, ushort.MinValue, ushort.MaxValue, "an unsigned 16-bit integer");

    /// <summary>An integer that fits in an unsigned 32-bit integer.</summary>
    public static uint ReadUInt32(ref MsgPackReader reader) => (uint)InRange(ref reader, uint.MinValue, uint.MaxValue, "an unsigned 32-bit integer");

    /// <summary>A str, which must not be nil.</summary>
    public static string ReadString(ref MsgPackReader reader)
    {
        long at = reader.Consumed;
        return reader.ReadString() ?? throw new MsgPackException("Expected a string but found nil", at);
    }

    /// <summary>A str of one character.</summary>
    public static char ReadChar(ref MsgPackReader reader)
    {
        long at = reader.Consumed;
        string text = ReadString(ref reader);
        return text.Length == 1 ? text[0] : throw new MsgPackException($"Expected one character but found {text.Length}", at);
    }

    /// <summary>A timestamp (what JavaScript sends for a Date), or an ISO 8601 string (what Python peers can send), as UTC.</summary>
    public static DateTime ReadDateTime(ref MsgPackReader reader)
    {
        if (reader.NextType != MsgPackType.String)
        {
            return reader.ReadDateTime();
        }

        long at = reader.Consumed;
        string text = ReadString(ref reader);
        return DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out DateTime time)
            ? time
            : throw new MsgPackException($"\"{text}\" is not a date and time", at);
    }

    /// <summary>As <see cref="ReadDateTime"/>, at offset zero.</summary>
    public static DateTimeOffset ReadDateTimeOffset(ref MsgPackReader reader) => new(ReadDateTime(ref reader));

    /// <summary>A GUID as its string form.</summary>
    public static Guid ReadGuid(ref MsgPackReader reader)
    {
        long at = reader.Consumed;
        string text = ReadString(ref reader);
        return Guid.TryParse(text, out Guid guid) ? guid : throw new MsgPackException($"\"{text}\" is not a GUID", at);
    }

    /// <summary>Any one value, kept as its encoded bytes (a copy: it may outlive the message).</summary>
    public static RawMsgPack ReadRaw(ref MsgPackReader reader) => RawMsgPack.Create(reader.ReadRaw().ToArray());

    /// <summary>The error for an enum member name a contract does not have.</summary>
    public static MsgPackException UnknownMember(string typeName, string name, long at) => new($"\"{name}\" is not a member of {typeName}", at);

    /// <summary>The error for a required value (a record's field) that is missing.</summary>
    public static MsgPackException MissingField(string typeName, string field, long at) => new($"{typeName} is missing its field '{field}'", at);

    /// <summary>
    /// True when a name a peer sent matches a wire name once underscores and case are ignored: <c>maxItems</c>,
    /// <c>MaxItems</c> and <c>max_items</c> are one name (how keyword arguments and record fields are matched).
    /// </summary>
    public static bool SameName(string sent, string wireName)
    {
        ArgumentNullException.ThrowIfNull(sent);
        ArgumentNullException.ThrowIfNull(wireName);
        int i = 0;
        int j = 0;
        while (true)
        {
            while (i < sent.Length && sent[i] == '_')
            {
                i++;
            }

            while (j < wireName.Length && wireName[j] == '_')
            {
                j++;
            }

            if (i == sent.Length || j == wireName.Length)
            {
                return i == sent.Length && j == wireName.Length;
            }

            if (char.ToLowerInvariant(sent[i++]) != char.ToLowerInvariant(wireName[j++]))
            {
                return false;
            }
        }
    }

    /// <summary>
    /// True when the value at <paramref name="reader"/> is <c>{_rtype:"stop_iteration"}</c>, the end of a stream
    /// (the reader is not moved).
    /// </summary>
    public static bool IsStopIteration(MsgPackReader reader)
    {
        if (reader.End || reader.NextType != MsgPackType.Map)
        {
            return false;
        }

        int entries = reader.ReadMapHeader();
        for (int i = 0; i < entries; i++)
        {
            if (reader.NextType == MsgPackType.String && reader.ReadString() == Hypha.Protocol.Messages.HyphaKeys.RType)
            {
                return reader.NextType == MsgPackType.String && reader.ReadString() == Hypha.Protocol.Objects.StopIteration.TypeName;
            }

            reader.Skip();
        }

        return false;
    }

    private static long InRange(ref MsgPackReader reader, long min, long max, string what)
    {
        long at = reader.Consumed;
        long value = ReadInt64(ref reader);
        return value >= min && value <= max
            ? value
            : throw OutOfRange(value, what, at);
    }

    // The messages are built out of line: interpolated inside these small readers, which the generated code inlines
    // into every dispatcher, they made the JIT reserve and zero a large frame on every call.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static MsgPackException NotWhole(double value, string what, long at) =>
        new($"{value.ToString(CultureInfo.InvariantCulture)} is not a whole number that fits in {what}", at);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static MsgPackException OutOfRange(long value, string what, long at) => new($"The integer {value} does not fit in {what}", at);
}
