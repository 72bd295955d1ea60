using System.Buffers.Binary;

namespace Hypha.Protocol.MsgPack;

/// <summary>
/// Static msgpack primitives over spans. The writers always choose the smallest encoding a value fits;
/// each returns false, writing nothing, when <c>destination</c> is too short.
/// </summary>
public static partial class MsgPackPrimitives
{
    /// <summary>The longest header any value can have (ext 32: code, u32 length, type byte).</summary>
    public const int MaxHeaderLength = 6;

    /// <summary>The longest encoding of a scalar (nil, bool, integers, floats).</summary>
    public const int MaxScalarLength = 9;

    /// <summary>Writes nil.</summary>
    public static bool TryWriteNil(Span<byte> destination, out int bytesWritten) =>
        TryWriteCode(destination, MsgPackCode.Nil, out bytesWritten);

    /// <summary>Writes true or false.</summary>
    public static bool TryWriteBoolean(Span<byte> destination, bool value, out int bytesWritten) =>
        TryWriteCode(destination, value ? MsgPackCode.True : MsgPackCode.False, out bytesWritten);

    /// <summary>Writes a signed integer in the smallest format: non-negative values use the unsigned family.</summary>
    public static bool TryWriteInt64(Span<byte> destination, long value, out int bytesWritten)
    {
        if (value >= 0)
        {
            return TryWriteUInt64(destination, (ulong)value, out bytesWritten);
        }

        if (value >= -32)
        {
            return TryWriteCode(destination, unchecked((byte)value), out bytesWritten);
        }

        if (value >= sbyte.MinValue)
        {
            return TryWrite1(destination, MsgPackCode.Int8, unchecked((byte)value), out bytesWritten);
        }

        if (value >= short.MinValue)
        {
            bytesWritten = 3;
            if (destination.Length < 3) return Fail(out bytesWritten);
            destination[0] = MsgPackCode.Int16;
            BinaryPrimitives.WriteInt16BigEndian(destination[1..], (short)value);
            return true;
        }

        if (value >= int.MinValue)
        {
            bytesWritten = 5;
            if (destination.Length < 5) return Fail(out bytesWritten);
            destination[0] = MsgPackCode.Int32;
            BinaryPrimitives.WriteInt32BigEndian(destination[1..], (int)value);
            return true;
        }

        bytesWritten = 9;
        if (destination.Length < 9) return Fail(out bytesWritten);
        destination[0] = MsgPackCode.Int64;
        BinaryPrimitives.WriteInt64BigEndian(destination[1..], value);
        return true;
    }

    /// <summary>Writes an unsigned integer in the smallest format.</summary>
    public static bool TryWriteUInt64(Span<byte> destination, ulong value, out int bytesWritten)
    {
        if (value <= MsgPackCode.MaxPositiveFixInt)
        {
            return TryWriteCode(destination, (byte)value, out bytesWritten);
        }

        if (value <= byte.MaxValue)
        {
            return TryWrite1(destination, MsgPackCode.UInt8, (byte)value, out bytesWritten);
        }

        if (value <= ushort.MaxValue)
        {
            return TryWrite2(destination, MsgPackCode.UInt16, (ushort)value, out bytesWritten);
        }

        if (value <= uint.MaxValue)
        {
            return TryWrite4(destination, MsgPackCode.UInt32, (uint)value, out bytesWritten);
        }

        bytesWritten = 9;
        if (destination.Length < 9) return Fail(out bytesWritten);
        destination[0] = MsgPackCode.UInt64;
        BinaryPrimitives.WriteUInt64BigEndian(destination[1..], value);
        return true;
    }

    /// <summary>Writes a float 32. The width is kept: a float is never widened or narrowed.</summary>
    public static bool TryWriteSingle(Span<byte> destination, float value, out int bytesWritten)
    {
        bytesWritten = 5;
        if (destination.Length < 5) return Fail(out bytesWritten);
        destination[0] = MsgPackCode.Float32;
        BinaryPrimitives.WriteSingleBigEndian(destination[1..], value);
        return true;
    }

    /// <summary>
    /// Writes a float 64. The width is kept, even for whole numbers, because Python peers tell int from float.
    /// </summary>
    public static bool TryWriteDouble(Span<byte> destination, double value, out int bytesWritten)
    {
        bytesWritten = 9;
        if (destination.Length < 9) return Fail(out bytesWritten);
        destination[0] = MsgPackCode.Float64;
        BinaryPrimitives.WriteDoubleBigEndian(destination[1..], value);
        return true;
    }

    /// <summary>Writes the header of a str of <paramref name="byteLength"/> UTF-8 bytes (fixstr, str 8, 16 or 32).</summary>
    public static bool TryWriteStringHeader(Span<byte> destination, uint byteLength, out int bytesWritten)
    {
        if (byteLength <= 31)
        {
            return TryWriteCode(destination, (byte)(MsgPackCode.MinFixStr | byteLength), out bytesWritten);
        }

        if (byteLength <= byte.MaxValue)
        {
            return TryWrite1(destination, MsgPackCode.Str8, (byte)byteLength, out bytesWritten);
        }

        return byteLength <= ushort.MaxValue
            ? TryWrite2(destination, MsgPackCode.Str16, (ushort)byteLength, out bytesWritten)
            : TryWrite4(destination, MsgPackCode.Str32, byteLength, out bytesWritten);
    }

    /// <summary>Writes the header of a bin of <paramref name="length"/> bytes (bin 8, 16 or 32).</summary>
    public static bool TryWriteBinaryHeader(Span<byte> destination, uint length, out int bytesWritten)
    {
        if (length <= byte.MaxValue)
        {
            return TryWrite1(destination, MsgPackCode.Bin8, (byte)length, out bytesWritten);
        }

        return length <= ushort.MaxValue
            ? TryWrite2(destination, MsgPackCode.Bin16, (ushort)length, out bytesWritten)
            : TryWrite4(destination, MsgPackCode.Bin32, length, out bytesWritten);
    }

    /// <summary>Writes the header of an array of <paramref name="count"/> elements.</summary>
    public static bool TryWriteArrayHeader(Span<byte> destination, uint count, out int bytesWritten)
    {
        if (count <= 15)
        {
            return TryWriteCode(destination, (byte)(MsgPackCode.MinFixArray | count), out bytesWritten);
        }

        return count <= ushort.MaxValue
            ? TryWrite2(destination, MsgPackCode.Array16, (ushort)count, out bytesWritten)
            : TryWrite4(destination, MsgPackCode.Array32, count, out bytesWritten);
    }

    /// <summary>Writes the header of a map of <paramref name="count"/> key/value pairs.</summary>
    public static bool TryWriteMapHeader(Span<byte> destination, uint count, out int bytesWritten)
    {
        if (count <= 15)
        {
            return TryWriteCode(destination, (byte)(MsgPackCode.MinFixMap | count), out bytesWritten);
        }

        return count <= ushort.MaxValue
            ? TryWrite2(destination, MsgPackCode.Map16, (ushort)count, out bytesWritten)
            : TryWrite4(destination, MsgPackCode.Map32, count, out bytesWritten);
    }

    /// <summary>Writes an extension header: fixext for 1, 2, 4, 8 and 16 bytes, else ext 8, 16 or 32.</summary>
    public static bool TryWriteExtensionHeader(Span<byte> destination, ExtensionHeader header, out int bytesWritten)
    {
        byte type = unchecked((byte)header.TypeCode);
        byte fixCode = header.Length switch
        {
            1 => MsgPackCode.FixExt1,
            2 => MsgPackCode.FixExt2,
            4 => MsgPackCode.FixExt4,
            8 => MsgPackCode.FixExt8,
            16 => MsgPackCode.FixExt16,
            _ => 0,
        };
        if (fixCode != 0)
        {
            return TryWrite1(destination, fixCode, type, out bytesWritten);
        }

        if (header.Length <= byte.MaxValue)
        {
            bytesWritten = 3;
            if (destination.Length < 3) return Fail(out bytesWritten);
            destination[0] = MsgPackCode.Ext8;
            destination[1] = (byte)header.Length;
            destination[2] = type;
            return true;
        }

        if (header.Length <= ushort.MaxValue)
        {
            bytesWritten = 4;
            if (destination.Length < 4) return Fail(out bytesWritten);
            destination[0] = MsgPackCode.Ext16;
            BinaryPrimitives.WriteUInt16BigEndian(destination[1..], (ushort)header.Length);
            destination[3] = type;
            return true;
        }

        bytesWritten = 6;
        if (destination.Length < 6) return Fail(out bytesWritten);
        destination[0] = MsgPackCode.Ext32;
        BinaryPrimitives.WriteUInt32BigEndian(destination[1..], header.Length);
        destination[5] = type;
        return true;
    }

    /// <summary>
    /// Writes a whole timestamp extension in its smallest form: 32-bit seconds, 64-bit (30-bit nanoseconds and
    /// 34-bit seconds), or 96-bit (32-bit nanoseconds and signed 64-bit seconds).
    /// </summary>
    public static bool TryWriteTimestamp(Span<byte> destination, MsgPackTimestamp value, out int bytesWritten)
    {
        long seconds = value.Seconds;
        uint nanos = value.Nanoseconds;
        if ((ulong)seconds >> 34 == 0)
        {
            ulong packed = ((ulong)nanos << 34) | (ulong)seconds;
            if ((packed & 0xffffffff00000000UL) == 0)
            {
                bytesWritten = 6;
                if (destination.Length < 6) return Fail(out bytesWritten);
                destination[0] = MsgPackCode.FixExt4;
                destination[1] = unchecked((byte)MsgPackCode.TimestampExtensionType);
                BinaryPrimitives.WriteUInt32BigEndian(destination[2..], (uint)packed);
                return true;
            }

            bytesWritten = 10;
            if (destination.Length < 10) return Fail(out bytesWritten);
            destination[0] = MsgPackCode.FixExt8;
            destination[1] = unchecked((byte)MsgPackCode.TimestampExtensionType);
            BinaryPrimitives.WriteUInt64BigEndian(destination[2..], packed);
            return true;
        }

        bytesWritten = 15;
        if (destination.Length < 15) return Fail(out bytesWritten);
        destination[0] = MsgPackCode.Ext8;
        destination[1] = 12;
        destination[2] = unchecked((byte)MsgPackCode.TimestampExtensionType);
        BinaryPrimitives.WriteUInt32BigEndian(destination[3..], nanos);
        BinaryPrimitives.WriteInt64BigEndian(destination[7..], seconds);
        return true;
    }

    private static bool TryWriteCode(Span<byte> destination, byte code, out int bytesWritten)
    {
        if (destination.IsEmpty) return Fail(out bytesWritten);
        destination[0] = code;
        bytesWritten = 1;
        return true;
    }

    private static bool TryWrite1(Span<byte> destination, byte code, byte value, out int bytesWritten)
    {
        if (destination.Length < 2) return Fail(out bytesWritten);
        destination[0] = code;
        destination[1] = value;
        bytesWritten = 2;
        return true;
    }

    private static bool TryWrite2(Span<byte> destination, byte code, ushort value, out int bytesWritten)
    {
        if (destination.Length < 3) return Fail(out bytesWritten);
        destination[0] = code;
        BinaryPrimitives.WriteUInt16BigEndian(destination[1..], value);
        bytesWritten = 3;
        return true;
    }

    private static bool TryWrite4(Span<byte> destination, byte code, uint value, out int bytesWritten)
    {
        if (destination.Length < 5) return Fail(out bytesWritten);
        destination[0] = code;
        BinaryPrimitives.WriteUInt32BigEndian(destination[1..], value);
        bytesWritten = 5;
        return true;
    }

    private static bool Fail(out int bytesWritten)
    {
        bytesWritten = 0;
        return false;
    }
}
