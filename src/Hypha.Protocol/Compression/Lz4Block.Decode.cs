using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Hypha.Protocol.Compression;

public static partial class Lz4Block
{
    // Copies go by whole 16-byte vectors where both buffers have the room past them.
    private const int WideCopy = 16;

    // The short-sequence path needs this much block left after the token (14 literals, a 2-byte offset and a
    // vector's overrun) and this much output left (14 literals and an 18-byte match, each copied in 32 bytes).
    private const int ShortInputMargin = 32;
    private const int ShortOutputMargin = 64;

    /// <summary>
    /// Decompresses one block into <paramref name="destination"/>. Safe against any input: every literal run, offset
    /// and match length is checked against what is left of the block and of the destination before a byte is
    /// copied, so a malformed or hostile block throws and never reads or writes outside the two spans. Bytes of
    /// <paramref name="destination"/> past the returned length may have been overwritten.
    /// </summary>
    /// <returns>The bytes written (the destination may be larger than the block's output).</returns>
    /// <exception cref="CompressionException">
    /// The block is empty or truncated, an offset points before the start of the output or is zero, or the output
    /// would not fit in <paramref name="destination"/>.
    /// </exception>
    public static int Decompress(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        if (source.IsEmpty)
        {
            ThrowMalformed("An LZ4 block cannot be empty: it has at least one token");
        }

        ref byte input = ref MemoryMarshal.GetReference(source);
        ref byte output = ref MemoryMarshal.GetReference(destination);
        nint inputEnd = source.Length;
        nint outputEnd = destination.Length;
        nint shortInputLimit = inputEnd - ShortInputMargin;
        nint shortOutputLimit = outputEnd - ShortOutputMargin;
        nint ip = 0;
        nint op = 0;

        // Invariant at the top of the loop: ip < inputEnd. The positions are locals the helpers never get by
        // reference, so they stay in registers.
        while (true)
        {
            nint token = Unsafe.Add(ref input, ip++);
            nint literals = token >> 4;
            nint matchNibble = token & RunMask;
            nint offset;

            // Most sequences are short: up to 14 literals and a match of up to 18 bytes. Far from both ends, their
            // copies need no length checks, only whole words (liblz4's shortcut).
            if (literals < RunMask && ip <= shortInputLimit && op <= shortOutputLimit)
            {
                Copy16(ref Unsafe.Add(ref output, op), ref Unsafe.Add(ref input, ip));
                ip += literals;
                op += literals;
                offset = ReadOffset(ref input, ip);
                ip += 2;

                // One unsigned compare for 0 < offset <= op.
                if (matchNibble < RunMask && (nuint)(offset - 1) < (nuint)op)
                {
                    CopyShortMatch(ref Unsafe.Add(ref output, op), offset);
                    op += matchNibble + MinMatch;
                    continue;
                }

                // A long match, a short period or a bad offset: the general match path.
                goto Match;
            }

            if (literals == RunMask)
            {
                (nint extension, ip) = ReadLengthExtension(ref input, ip, inputEnd, outputEnd - op);
                literals += extension;
            }

            if (literals > inputEnd - ip)
            {
                ThrowMalformed($"An LZ4 literal run of {literals} bytes at offset {ip} runs past the end of the {inputEnd}-byte block");
            }

            if (literals > outputEnd - op)
            {
                ThrowOutputTooLarge(outputEnd);
            }

            CopyLiterals(ref Unsafe.Add(ref output, op), ref Unsafe.Add(ref input, ip), literals, Math.Min(inputEnd - ip, outputEnd - op));
            ip += literals;
            op += literals;
            if (ip == inputEnd)
            {
                return (int)op;
            }

            if (inputEnd - ip < 2)
            {
                ThrowMalformed($"An LZ4 block of {inputEnd} bytes ends inside a match offset");
            }

            offset = ReadOffset(ref input, ip);
            ip += 2;

        Match:
            if (offset == 0 || offset > op)
            {
                ThrowBadOffset(offset, op);
            }

            nint length = matchNibble;
            if (length == RunMask)
            {
                (nint extension, ip) = ReadLengthExtension(ref input, ip, inputEnd, outputEnd - op);
                length += extension;
            }

            length += MinMatch;
            if (length > outputEnd - op)
            {
                ThrowOutputTooLarge(outputEnd);
            }

            CopyMatch(ref output, op, offset, length, outputEnd);
            op += length;
            if (ip == inputEnd)
            {
                ThrowMalformed($"An LZ4 block of {inputEnd} bytes ends with a match: its last sequence must be literals");
            }
        }
    }

    // A match of at most 18 bytes, with room for 32 bytes of output: each word reads only bytes already written.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyShortMatch(ref byte target, nint offset)
    {
        ref byte from = ref Unsafe.Subtract(ref target, offset);
        if (offset >= WideCopy)
        {
            Copy16(ref target, ref from);
            Copy16(ref Unsafe.Add(ref target, WideCopy), ref Unsafe.Add(ref from, WideCopy));
        }
        else if (offset >= 8)
        {
            Copy8(ref target, ref from);
            Copy8(ref Unsafe.Add(ref target, 8), ref Unsafe.Add(ref from, 8));
            Copy8(ref Unsafe.Add(ref target, 16), ref Unsafe.Add(ref from, 16));
        }
        else
        {
            int period = LayShortPeriod(ref target, offset);
            Copy8(ref Unsafe.Add(ref target, 8), ref Unsafe.Add(ref target, 8 - period));
            Copy8(ref Unsafe.Add(ref target, 16), ref Unsafe.Add(ref target, 16 - period));
        }
    }

    // The bytes after a length nibble of 15: each adds its value, 255 means another follows. Bounded by the
    // block (every byte is read from it) and by what the output has left (a larger length can only be refused).
    // Returns the length and the position after it.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (nint Length, nint Next) ReadLengthExtension(ref byte input, nint ip, nint inputEnd, nint outputLeft)
    {
        nint length = 0;
        int next;
        do
        {
            if (ip >= inputEnd)
            {
                ThrowMalformed($"An LZ4 block of {inputEnd} bytes ends inside a length");
            }

            next = Unsafe.Add(ref input, ip++);
            length += next;
            if (length > outputLeft)
            {
                ThrowMalformed($"An LZ4 length of more than {length} bytes does not fit in the {outputLeft} bytes of output left");
            }
        }
        while (next == 255);
        return (length, ip);
    }

    // Literals whose length was checked against both buffers; room is what both have from the copy's start, so
    // whole vectors are used only where their overrun stays inside both.
    private static void CopyLiterals(ref byte target, ref byte from, nint length, nint room)
    {
        if (length + WideCopy > room)
        {
            Unsafe.CopyBlockUnaligned(ref target, ref from, (uint)length);
            return;
        }

        for (nint i = 0; i < length; i += WideCopy)
        {
            Copy16(ref Unsafe.Add(ref target, i), ref Unsafe.Add(ref from, i));
        }
    }

    // Copies a match of length bytes from offset bytes back; the caller checked that offset <= op and that the
    // match fits. Whole words are used only when the output has room for their overrun, and only at a distance
    // where each word reads bytes already written.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void CopyMatch(ref byte output, nint op, nint offset, nint length, nint outputEnd)
    {
        ref byte target = ref Unsafe.Add(ref output, op);
        ref byte from = ref Unsafe.Add(ref output, op - offset);
        if (length + WideCopy > outputEnd - op)
        {
            CopyBytes(ref target, ref from, length);
            return;
        }

        if (offset >= WideCopy)
        {
            for (nint i = 0; i < length; i += WideCopy)
            {
                Copy16(ref Unsafe.Add(ref target, i), ref Unsafe.Add(ref from, i));
            }

            return;
        }

        if (offset >= 8)
        {
            for (nint i = 0; i < length; i += 8)
            {
                Copy8(ref Unsafe.Add(ref target, i), ref Unsafe.Add(ref from, i));
            }

            return;
        }

        int period = LayShortPeriod(ref target, offset);
        for (nint i = 8; i < length; i += 8)
        {
            Copy8(ref Unsafe.Add(ref target, i), ref Unsafe.Add(ref target, i - period));
        }
    }

    // A period under 8 bytes (a run of one byte, a small repeated pattern): writes the match's first 8 bytes and
    // returns the smallest multiple of the period that is at least 8, the distance from which whole words can be
    // copied from then on. The caller checked that 8 bytes fit and that offset bytes precede the target.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int LayShortPeriod(ref byte target, nint offset)
    {
        ref byte from = ref Unsafe.Subtract(ref target, offset);
        switch (offset)
        {
            case 1:
                Unsafe.WriteUnaligned(ref target, from * 0x0101010101010101UL);
                break;
            case 2:
                Unsafe.WriteUnaligned(ref target, Unsafe.ReadUnaligned<ushort>(ref from) * 0x0001000100010001UL);
                break;
            case 4:
                Unsafe.WriteUnaligned(ref target, Unsafe.ReadUnaligned<uint>(ref from) * 0x0000000100000001UL);
                break;
            default:
                // 3, 5, 6, 7: four bytes one by one, then four more from a whole number of periods back.
                Unsafe.Add(ref target, 0) = Unsafe.Add(ref from, 0);
                Unsafe.Add(ref target, 1) = Unsafe.Add(ref from, 1);
                Unsafe.Add(ref target, 2) = Unsafe.Add(ref from, 2);
                Unsafe.Add(ref target, 3) = Unsafe.Add(ref from, 3);
                int back = HalfWordPeriods[(int)offset];
                Unsafe.WriteUnaligned(ref Unsafe.Add(ref target, 4), Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref target, 4 - back)));
                break;
        }

        return ShortPeriods[(int)offset];
    }

    // For an offset under 8, the smallest multiple of it that is at least 8 (and at least 4, below).
    private static ReadOnlySpan<byte> ShortPeriods => [0, 8, 8, 9, 8, 10, 12, 14];

    private static ReadOnlySpan<byte> HalfWordPeriods => [0, 4, 4, 6, 4, 5, 6, 7];

    private static nint ReadOffset(ref byte input, nint ip) =>
        BitConverter.IsLittleEndian
            ? Unsafe.ReadUnaligned<ushort>(ref Unsafe.Add(ref input, ip))
            : Unsafe.Add(ref input, ip) | (Unsafe.Add(ref input, ip + 1) << 8);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Copy8(ref byte target, ref byte from) =>
        Unsafe.WriteUnaligned(ref target, Unsafe.ReadUnaligned<ulong>(ref from));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Copy16(ref byte target, ref byte from) =>
        Unsafe.WriteUnaligned(ref target, Unsafe.ReadUnaligned<Vector128<byte>>(ref from));

    // Byte by byte, front to back: correct for any overlap.
    private static void CopyBytes(ref byte target, ref byte from, nint length)
    {
        for (nint i = 0; i < length; i++)
        {
            Unsafe.Add(ref target, i) = Unsafe.Add(ref from, i);
        }
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowMalformed(string message) => throw new CompressionException(message);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowBadOffset(nint offset, nint op) =>
        throw new CompressionException($"An LZ4 match offset of {offset} at output position {op} points {(offset == 0 ? "at itself" : "before the start of the output")}");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowOutputTooLarge(nint outputEnd) =>
        throw new CompressionException($"An LZ4 block decompresses to more than the {outputEnd} bytes allowed");
}
