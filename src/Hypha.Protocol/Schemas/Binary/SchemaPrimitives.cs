using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Hypha.Protocol.Schemas;

/// <summary>
/// The span primitives of the binary form (docs/schema-language.md, "Binary form"): unsigned LEB128 varints in
/// their shortest form, zigzag for signed integers, little-endian floats.
/// </summary>
public static class SchemaPrimitives
{
    /// <summary>The longest varint (a 64-bit value).</summary>
    public const int MaxVarintLength = 10;

    /// <summary>Writes <paramref name="value"/> as a varint; false when <paramref name="destination"/> is too small.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryWriteVarint(Span<byte> destination, ulong value, out int bytesWritten)
    {
        if (value < 0x80 && destination.Length > 0)
        {
            destination[0] = (byte)value;
            bytesWritten = 1;
            return true;
        }

        return TryWriteLongVarint(destination, value, out bytesWritten);
    }

    /// <summary>The number of bytes <paramref name="value"/> takes as a varint.</summary>
    public static int VarintLength(ulong value)
    {
        int length = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            length++;
        }

        return length;
    }

    /// <summary>
    /// Reads a varint holding a value of <paramref name="bits"/> bits (32 or 64). Returns false for a truncated
    /// varint, one that overflows that many bits, or one not in its shortest form.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryReadVarint(ReadOnlySpan<byte> source, int bits, out ulong value, out int bytesRead)
    {
        if (source.Length > 0 && source[0] < 0x80)
        {
            value = source[0];
            bytesRead = 1;
            return true;
        }

        return TryReadLongVarint(source, bits, out value, out bytesRead);
    }

    /// <summary>Maps a signed value to an unsigned one so that small magnitudes stay small (0, -1, 1, -2 → 0, 1, 2, 3).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong ZigZag(long value) => (ulong)((value << 1) ^ (value >> 63));

    /// <summary>The inverse of <see cref="ZigZag"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long UnZigZag(ulong value) => (long)(value >> 1) ^ -(long)(value & 1);

    /// <summary>Writes a float32, little-endian.</summary>
    public static void WriteSingle(Span<byte> destination, float value) => BinaryPrimitives.WriteSingleLittleEndian(destination, value);

    /// <summary>Writes a float64, little-endian.</summary>
    public static void WriteDouble(Span<byte> destination, double value) => BinaryPrimitives.WriteDoubleLittleEndian(destination, value);

    private static bool TryWriteLongVarint(Span<byte> destination, ulong value, out int bytesWritten)
    {
        int i = 0;
        while (value >= 0x80)
        {
            if (i >= destination.Length)
            {
                bytesWritten = 0;
                return false;
            }

            destination[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        if (i >= destination.Length)
        {
            bytesWritten = 0;
            return false;
        }

        destination[i++] = (byte)value;
        bytesWritten = i;
        return true;
    }

    private static bool TryReadLongVarint(ReadOnlySpan<byte> source, int bits, out ulong value, out int bytesRead)
    {
        value = 0;
        bytesRead = 0;
        int limit = Math.Min((bits + 6) / 7, source.Length);
        for (int i = 0; i < limit; i++)
        {
            byte b = source[i];
            int shift = 7 * i;

            // The last byte may carry only the bits that are left: 1 bit for the 10th byte of a 64-bit value, 4 for
            // the 5th byte of a 32-bit one.
            int bitsLeft = bits - shift;
            if (bitsLeft < 7 && (b & 0x7f) >> bitsLeft != 0)
            {
                return false;
            }

            value |= (ulong)(b & 0x7f) << shift;
            if (b < 0x80)
            {
                // A zero last byte after others means a longer form than needed.
                if (b == 0 && i > 0)
                {
                    return false;
                }

                bytesRead = i + 1;
                return true;
            }
        }

        return false;
    }
}
