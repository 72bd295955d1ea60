using System.Buffers.Binary;

namespace Hypha.Protocol.MsgPack;

public static partial class MsgPackPrimitives
{
    /// <summary>Reads nil.</summary>
    public static MsgPackReadStatus TryReadNil(ReadOnlySpan<byte> source, out int bytesRead)
    {
        bytesRead = 0;
        if (source.IsEmpty) return MsgPackReadStatus.NeedMoreData;
        if (source[0] != MsgPackCode.Nil) return MsgPackReadStatus.TypeMismatch;
        bytesRead = 1;
        return MsgPackReadStatus.Success;
    }

    /// <summary>Reads true or false.</summary>
    public static MsgPackReadStatus TryReadBoolean(ReadOnlySpan<byte> source, out bool value, out int bytesRead)
    {
        value = false;
        bytesRead = 0;
        if (source.IsEmpty) return MsgPackReadStatus.NeedMoreData;
        switch (source[0])
        {
            case MsgPackCode.True:
                value = true;
                break;
            case MsgPackCode.False:
                break;
            default:
                return MsgPackReadStatus.TypeMismatch;
        }

        bytesRead = 1;
        return MsgPackReadStatus.Success;
    }

    /// <summary>Reads any integer format into a signed 64-bit value; a uint 64 above <see cref="long.MaxValue"/> overflows.</summary>
    public static MsgPackReadStatus TryReadInt64(ReadOnlySpan<byte> source, out long value, out int bytesRead)
    {
        MsgPackReadStatus status = TryReadIntegerBits(source, out ulong bits, out bool isSigned, out bytesRead);
        value = unchecked((long)bits);
        if (status == MsgPackReadStatus.Success && !isSigned && bits > long.MaxValue)
        {
            bytesRead = 0;
            return MsgPackReadStatus.Overflow;
        }

        return status;
    }

    /// <summary>Reads any integer format into an unsigned 64-bit value; a negative value overflows.</summary>
    public static MsgPackReadStatus TryReadUInt64(ReadOnlySpan<byte> source, out ulong value, out int bytesRead)
    {
        MsgPackReadStatus status = TryReadIntegerBits(source, out value, out bool isSigned, out bytesRead);
        if (status == MsgPackReadStatus.Success && isSigned && (long)value < 0)
        {
            bytesRead = 0;
            return MsgPackReadStatus.Overflow;
        }

        return status;
    }

    /// <summary>
    /// Reads an integer of any format as raw bits. <paramref name="isSigned"/> tells whether the bits are a
    /// two's-complement signed value (fixint and int formats) or an unsigned one (uint formats).
    /// </summary>
    public static MsgPackReadStatus TryReadIntegerBits(ReadOnlySpan<byte> source, out ulong bits, out bool isSigned, out int bytesRead)
    {
        bits = 0;
        isSigned = true;
        bytesRead = 0;
        if (source.IsEmpty) return MsgPackReadStatus.NeedMoreData;
        byte code = source[0];
        int length;
        switch (code)
        {
            case <= MsgPackCode.MaxPositiveFixInt:
                bits = code;
                bytesRead = 1;
                return MsgPackReadStatus.Success;
            case >= MsgPackCode.MinNegativeFixInt:
                bits = unchecked((ulong)(sbyte)code);
                bytesRead = 1;
                return MsgPackReadStatus.Success;
            case MsgPackCode.UInt8 or MsgPackCode.Int8:
                length = 2;
                break;
            case MsgPackCode.UInt16 or MsgPackCode.Int16:
                length = 3;
                break;
            case MsgPackCode.UInt32 or MsgPackCode.Int32:
                length = 5;
                break;
            case MsgPackCode.UInt64 or MsgPackCode.Int64:
                length = 9;
                break;
            default:
                return MsgPackReadStatus.TypeMismatch;
        }

        if (source.Length < length) return MsgPackReadStatus.NeedMoreData;
        ReadOnlySpan<byte> body = source[1..];
        (bits, isSigned) = code switch
        {
            MsgPackCode.UInt8 => (body[0], false),
            MsgPackCode.UInt16 => (BinaryPrimitives.ReadUInt16BigEndian(body), false),
            MsgPackCode.UInt32 => (BinaryPrimitives.ReadUInt32BigEndian(body), false),
            MsgPackCode.UInt64 => (BinaryPrimitives.ReadUInt64BigEndian(body), false),
            MsgPackCode.Int8 => (unchecked((ulong)(sbyte)body[0]), true),
            MsgPackCode.Int16 => (unchecked((ulong)BinaryPrimitives.ReadInt16BigEndian(body)), true),
            MsgPackCode.Int32 => (unchecked((ulong)BinaryPrimitives.ReadInt32BigEndian(body)), true),
            _ => (unchecked((ulong)BinaryPrimitives.ReadInt64BigEndian(body)), true),
        };
        bytesRead = length;
        return MsgPackReadStatus.Success;
    }

    /// <summary>
    /// Reads a float 64 or float 32, and also any integer: JavaScript peers pack whole-number floats as ints.
    /// </summary>
    public static MsgPackReadStatus TryReadDouble(ReadOnlySpan<byte> source, out double value, out int bytesRead)
    {
        value = 0;
        bytesRead = 0;
        if (source.IsEmpty) return MsgPackReadStatus.NeedMoreData;
        switch (source[0])
        {
            case MsgPackCode.Float64:
                if (source.Length < 9) return MsgPackReadStatus.NeedMoreData;
                value = BinaryPrimitives.ReadDoubleBigEndian(source[1..]);
                bytesRead = 9;
                return MsgPackReadStatus.Success;
            case MsgPackCode.Float32:
                if (source.Length < 5) return MsgPackReadStatus.NeedMoreData;
                value = BinaryPrimitives.ReadSingleBigEndian(source[1..]);
                bytesRead = 5;
                return MsgPackReadStatus.Success;
        }

        MsgPackReadStatus status = TryReadIntegerBits(source, out ulong bits, out bool isSigned, out bytesRead);
        value = isSigned ? unchecked((long)bits) : bits;
        return status;
    }

    /// <summary>Reads a float 32 exactly, or a float 64 or integer rounded to the nearest single.</summary>
    public static MsgPackReadStatus TryReadSingle(ReadOnlySpan<byte> source, out float value, out int bytesRead)
    {
        if (!source.IsEmpty && source[0] == MsgPackCode.Float32)
        {
            value = 0;
            bytesRead = 0;
            if (source.Length < 5) return MsgPackReadStatus.NeedMoreData;
            value = BinaryPrimitives.ReadSingleBigEndian(source[1..]);
            bytesRead = 5;
            return MsgPackReadStatus.Success;
        }

        MsgPackReadStatus status = TryReadDouble(source, out double wide, out bytesRead);
        value = (float)wide;
        return status;
    }

    /// <summary>Reads a str header: the number of UTF-8 bytes that follow.</summary>
    public static MsgPackReadStatus TryReadStringHeader(ReadOnlySpan<byte> source, out uint byteLength, out int bytesRead)
    {
        byteLength = 0;
        bytesRead = 0;
        if (source.IsEmpty) return MsgPackReadStatus.NeedMoreData;
        byte code = source[0];
        if (code is >= MsgPackCode.MinFixStr and <= MsgPackCode.MaxFixStr)
        {
            byteLength = (uint)(code & 0x1f);
            bytesRead = 1;
            return MsgPackReadStatus.Success;
        }

        return code switch
        {
            MsgPackCode.Str8 => TryReadLength1(source, out byteLength, out bytesRead),
            MsgPackCode.Str16 => TryReadLength2(source, out byteLength, out bytesRead),
            MsgPackCode.Str32 => TryReadLength4(source, out byteLength, out bytesRead),
            _ => MsgPackReadStatus.TypeMismatch,
        };
    }

    /// <summary>Reads a bin header: the number of bytes that follow.</summary>
    public static MsgPackReadStatus TryReadBinaryHeader(ReadOnlySpan<byte> source, out uint length, out int bytesRead)
    {
        length = 0;
        bytesRead = 0;
        if (source.IsEmpty) return MsgPackReadStatus.NeedMoreData;
        return source[0] switch
        {
            MsgPackCode.Bin8 => TryReadLength1(source, out length, out bytesRead),
            MsgPackCode.Bin16 => TryReadLength2(source, out length, out bytesRead),
            MsgPackCode.Bin32 => TryReadLength4(source, out length, out bytesRead),
            _ => MsgPackReadStatus.TypeMismatch,
        };
    }

    /// <summary>Reads an array header: the number of elements that follow.</summary>
    public static MsgPackReadStatus TryReadArrayHeader(ReadOnlySpan<byte> source, out uint count, out int bytesRead)
    {
        count = 0;
        bytesRead = 0;
        if (source.IsEmpty) return MsgPackReadStatus.NeedMoreData;
        byte code = source[0];
        if (code is >= MsgPackCode.MinFixArray and <= MsgPackCode.MaxFixArray)
        {
            count = (uint)(code & 0x0f);
            bytesRead = 1;
            return MsgPackReadStatus.Success;
        }

        return code switch
        {
            MsgPackCode.Array16 => TryReadLength2(source, out count, out bytesRead),
            MsgPackCode.Array32 => TryReadLength4(source, out count, out bytesRead),
            _ => MsgPackReadStatus.TypeMismatch,
        };
    }

    /// <summary>Reads a map header: the number of key/value pairs that follow.</summary>
    public static MsgPackReadStatus TryReadMapHeader(ReadOnlySpan<byte> source, out uint count, out int bytesRead)
    {
        count = 0;
        bytesRead = 0;
        if (source.IsEmpty) return MsgPackReadStatus.NeedMoreData;
        byte code = source[0];
        if (code is >= MsgPackCode.MinFixMap and <= MsgPackCode.MaxFixMap)
        {
            count = (uint)(code & 0x0f);
            bytesRead = 1;
            return MsgPackReadStatus.Success;
        }

        return code switch
        {
            MsgPackCode.Map16 => TryReadLength2(source, out count, out bytesRead),
            MsgPackCode.Map32 => TryReadLength4(source, out count, out bytesRead),
            _ => MsgPackReadStatus.TypeMismatch,
        };
    }

    /// <summary>Reads an extension header (fixext 1-16 or ext 8/16/32).</summary>
    public static MsgPackReadStatus TryReadExtensionHeader(ReadOnlySpan<byte> source, out ExtensionHeader header, out int bytesRead)
    {
        header = default;
        bytesRead = 0;
        if (source.IsEmpty) return MsgPackReadStatus.NeedMoreData;
        byte code = source[0];
        uint length;
        int headerLength;
        switch (code)
        {
            case MsgPackCode.FixExt1: length = 1; headerLength = 2; break;
            case MsgPackCode.FixExt2: length = 2; headerLength = 2; break;
            case MsgPackCode.FixExt4: length = 4; headerLength = 2; break;
            case MsgPackCode.FixExt8: length = 8; headerLength = 2; break;
            case MsgPackCode.FixExt16: length = 16; headerLength = 2; break;
            case MsgPackCode.Ext8:
                if (source.Length < 3) return MsgPackReadStatus.NeedMoreData;
                length = source[1];
                headerLength = 3;
                break;
            case MsgPackCode.Ext16:
                if (source.Length < 4) return MsgPackReadStatus.NeedMoreData;
                length = BinaryPrimitives.ReadUInt16BigEndian(source[1..]);
                headerLength = 4;
                break;
            case MsgPackCode.Ext32:
                if (source.Length < 6) return MsgPackReadStatus.NeedMoreData;
                length = BinaryPrimitives.ReadUInt32BigEndian(source[1..]);
                headerLength = 6;
                break;
            default:
                return MsgPackReadStatus.TypeMismatch;
        }

        if (source.Length < headerLength) return MsgPackReadStatus.NeedMoreData;
        header = new ExtensionHeader(unchecked((sbyte)source[headerLength - 1]), length);
        bytesRead = headerLength;
        return MsgPackReadStatus.Success;
    }

    /// <summary>
    /// Reads a whole timestamp extension (header and data) in any of its three sizes. Another extension type is a
    /// <see cref="MsgPackReadStatus.TypeMismatch"/>; a timestamp with a bad length or nanoseconds of one second
    /// or more is <see cref="MsgPackReadStatus.Invalid"/>.
    /// </summary>
    public static MsgPackReadStatus TryReadTimestamp(ReadOnlySpan<byte> source, out MsgPackTimestamp value, out int bytesRead)
    {
        value = default;
        bytesRead = 0;
        MsgPackReadStatus status = TryReadExtensionHeader(source, out ExtensionHeader header, out int headerLength);
        if (status != MsgPackReadStatus.Success) return status;
        if (header.TypeCode != MsgPackCode.TimestampExtensionType) return MsgPackReadStatus.TypeMismatch;
        if (header.Length is not (4 or 8 or 12)) return MsgPackReadStatus.Invalid;
        if (source.Length < headerLength + (int)header.Length) return MsgPackReadStatus.NeedMoreData;
        status = TryDecodeTimestamp(source.Slice(headerLength, (int)header.Length), out value);
        if (status == MsgPackReadStatus.Success)
        {
            bytesRead = headerLength + (int)header.Length;
        }

        return status;
    }

    /// <summary>Decodes the data bytes of a timestamp extension (4, 8 or 12 bytes).</summary>
    public static MsgPackReadStatus TryDecodeTimestamp(ReadOnlySpan<byte> data, out MsgPackTimestamp value)
    {
        value = default;
        long seconds;
        uint nanos;
        switch (data.Length)
        {
            case 4:
                seconds = BinaryPrimitives.ReadUInt32BigEndian(data);
                nanos = 0;
                break;
            case 8:
                ulong packed = BinaryPrimitives.ReadUInt64BigEndian(data);
                nanos = (uint)(packed >> 34);
                seconds = (long)(packed & 0x3_ffff_ffffUL);
                break;
            case 12:
                nanos = BinaryPrimitives.ReadUInt32BigEndian(data);
                seconds = BinaryPrimitives.ReadInt64BigEndian(data[4..]);
                break;
            default:
                return MsgPackReadStatus.Invalid;
        }

        if (nanos >= MsgPackTimestamp.NanosecondsPerSecond) return MsgPackReadStatus.Invalid;
        value = new MsgPackTimestamp(seconds, nanos);
        return MsgPackReadStatus.Success;
    }

    private static MsgPackReadStatus TryReadLength1(ReadOnlySpan<byte> source, out uint length, out int bytesRead)
    {
        length = 0;
        bytesRead = 0;
        if (source.Length < 2) return MsgPackReadStatus.NeedMoreData;
        length = source[1];
        bytesRead = 2;
        return MsgPackReadStatus.Success;
    }

    private static MsgPackReadStatus TryReadLength2(ReadOnlySpan<byte> source, out uint length, out int bytesRead)
    {
        length = 0;
        bytesRead = 0;
        if (source.Length < 3) return MsgPackReadStatus.NeedMoreData;
        length = BinaryPrimitives.ReadUInt16BigEndian(source[1..]);
        bytesRead = 3;
        return MsgPackReadStatus.Success;
    }

    private static MsgPackReadStatus TryReadLength4(ReadOnlySpan<byte> source, out uint length, out int bytesRead)
    {
        length = 0;
        bytesRead = 0;
        if (source.Length < 5) return MsgPackReadStatus.NeedMoreData;
        length = BinaryPrimitives.ReadUInt32BigEndian(source[1..]);
        bytesRead = 5;
        return MsgPackReadStatus.Success;
    }
}
