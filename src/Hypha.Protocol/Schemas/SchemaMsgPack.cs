using System.Buffers;
using System.Runtime.InteropServices;
using Hypha.Protocol.MsgPack;

namespace Hypha.Protocol.Schemas;

/// <summary>
/// Reading the msgpack form of a schema field, for the generated and the runtime codecs alike. Each <c>TryRead</c>
/// returns false when the next value is not of the field's type or range: the message is then not of the schema's
/// shape, and the reader's position is left unspecified. Malformed msgpack still throws <see cref="MsgPackException"/>.
/// </summary>
public static class SchemaMsgPack
{
    /// <summary>Reads a bool.</summary>
    public static bool TryReadBool(ref MsgPackReader reader, out bool value)
    {
        value = false;
        if (reader.NextType != MsgPackType.Boolean)
        {
            return false;
        }

        value = reader.ReadBoolean();
        return true;
    }

    /// <summary>Reads an integer that fits an int32.</summary>
    public static bool TryReadInt32(ref MsgPackReader reader, out int value)
    {
        value = 0;
        if (!TryReadInteger(ref reader, out long wide, out bool negativeOrSmall) || !negativeOrSmall || wide is < int.MinValue or > int.MaxValue)
        {
            return false;
        }

        value = (int)wide;
        return true;
    }

    /// <summary>Reads an integer that fits an int64.</summary>
    public static bool TryReadInt64(ref MsgPackReader reader, out long value) =>
        TryReadInteger(ref reader, out value, out bool fits) && fits;

    /// <summary>Reads a non-negative integer that fits a uint32.</summary>
    public static bool TryReadUInt32(ref MsgPackReader reader, out uint value)
    {
        value = 0;
        if (!TryReadUInt64(ref reader, out ulong wide) || wide > uint.MaxValue)
        {
            return false;
        }

        value = (uint)wide;
        return true;
    }

    /// <summary>Reads a non-negative integer.</summary>
    public static bool TryReadUInt64(ref MsgPackReader reader, out ulong value)
    {
        value = 0;
        if (reader.NextType != MsgPackType.Integer)
        {
            return false;
        }

        ulong bits = reader.ReadIntegerBits(out bool isSigned);
        if (isSigned && (long)bits < 0)
        {
            return false;
        }

        value = bits;
        return true;
    }

    /// <summary>Reads a float32, or any other number rounded to one.</summary>
    public static bool TryReadFloat32(ref MsgPackReader reader, out float value)
    {
        value = 0;
        if (reader.NextType is not (MsgPackType.Float or MsgPackType.Integer))
        {
            return false;
        }

        value = reader.ReadSingle();
        return true;
    }

    /// <summary>Reads a float64, or any other number (JavaScript sends whole floats as integers).</summary>
    public static bool TryReadFloat64(ref MsgPackReader reader, out double value)
    {
        value = 0;
        if (reader.NextType is not (MsgPackType.Float or MsgPackType.Integer))
        {
            return false;
        }

        value = reader.ReadDouble();
        return true;
    }

    /// <summary>Reads a str (nil is not a string).</summary>
    public static bool TryReadString(ref MsgPackReader reader, out string value) => TryReadString(ref reader, recurring: false, out value);

    /// <summary>Reads a str of an interned field: its recurring values come back as the instance read last (<see cref="MsgPackReader.ReadRecurringString"/>).</summary>
    public static bool TryReadRecurringString(ref MsgPackReader reader, out string value) => TryReadString(ref reader, recurring: true, out value);

    private static bool TryReadString(ref MsgPackReader reader, bool recurring, out string value)
    {
        value = string.Empty;
        if (reader.NextType != MsgPackType.String)
        {
            return false;
        }

        value = (recurring ? reader.ReadRecurringString() : reader.ReadString())!;
        return true;
    }

    /// <summary>Reads a bin, as a slice of the input when it is contiguous.</summary>
    public static bool TryReadBytes(ref MsgPackReader reader, out ReadOnlyMemory<byte> value)
    {
        value = default;
        if (reader.NextType != MsgPackType.Binary)
        {
            return false;
        }

        value = AsMemory(reader.ReadBytes()!.Value);
        return true;
    }

    /// <summary>Reads any one value as its bytes (a slice of the input when it is contiguous).</summary>
    public static RawMsgPack ReadAny(ref MsgPackReader reader) => RawMsgPack.Trusted(AsMemory(reader.ReadRaw()));

    /// <summary>Reads an array header.</summary>
    public static bool TryReadArrayHeader(ref MsgPackReader reader, out int count)
    {
        count = 0;
        if (reader.NextType != MsgPackType.Array)
        {
            return false;
        }

        count = reader.ReadArrayHeader();
        return true;
    }

    /// <summary>Reads a map header.</summary>
    public static bool TryReadMapHeader(ref MsgPackReader reader, out int count)
    {
        count = 0;
        if (reader.NextType != MsgPackType.Map)
        {
            return false;
        }

        count = reader.ReadMapHeader();
        return true;
    }

    /// <summary>Reads a map key as UTF-8 bytes; false when the key is not a str.</summary>
    public static bool TryReadKey(ref MsgPackReader reader, out ReadOnlySpan<byte> key)
    {
        key = default;
        if (reader.NextType != MsgPackType.String)
        {
            return false;
        }

        ReadOnlySequence<byte> bytes = reader.ReadStringSequence();
        key = bytes.IsSingleSegment ? bytes.FirstSpan : bytes.ToArray();
        return true;
    }

    private static bool TryReadInteger(ref MsgPackReader reader, out long value, out bool fits)
    {
        value = 0;
        fits = false;
        if (reader.NextType != MsgPackType.Integer)
        {
            return false;
        }

        ulong bits = reader.ReadIntegerBits(out bool isSigned);
        fits = isSigned || bits <= long.MaxValue;
        value = (long)bits;
        return true;
    }

    private static ReadOnlyMemory<byte> AsMemory(ReadOnlySequence<byte> bytes) =>
        SequenceMarshal.TryGetReadOnlyMemory(bytes, out ReadOnlyMemory<byte> memory) ? memory : bytes.ToArray();
}
