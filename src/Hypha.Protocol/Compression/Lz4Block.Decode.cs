using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Hypha.Protocol.Compression;

public static partial class Lz4Block
{
    // Copies of up to this many bytes go by whole vectors when both buffers have the room past them.
    private const int WideCopy = 16;

    /// <summary>
    /// Decompresses one block into <paramref name="destination"/>. Safe against any input: every literal run, offset
    /// and match length is checked against what is left of the block and of the destination before a byte is
    /// copied, so a malformed or hostile block throws and never reads or writes outside the two spans.
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
            throw new CompressionException("An LZ4 block cannot be empty: it has at least one token");
        }

        ref byte input = ref MemoryMarshal.GetReference(source);
        ref byte output = ref MemoryMarshal.GetReference(destination);
        int inputEnd = source.Length;
        int outputEnd = destination.Length;
        int ip = 0;
        int op = 0;

        // Invariant at the top of the loop: ip < inputEnd.
        while (true)
        {
            int token = Unsafe.Add(ref input, ip++);
            int literals = token >> 4;
            if (literals == RunMask)
            {
                literals += ReadLengthExtension(ref input, ref ip, inputEnd, outputEnd - op);
            }

            if (literals > inputEnd - ip)
            {
                throw new CompressionException($"An LZ4 literal run of {literals} bytes at offset {ip} runs past the end of the {inputEnd}-byte block");
            }

            if (literals > outputEnd - op)
            {
                throw OutputTooLarge(outputEnd);
            }

            if (literals <= WideCopy && inputEnd - ip >= WideCopy && outputEnd - op >= WideCopy)
            {
                Unsafe.WriteUnaligned(ref Unsafe.Add(ref output, op), Unsafe.ReadUnaligned<Vector128<byte>>(ref Unsafe.Add(ref input, ip)));
            }
            else
            {
                Unsafe.CopyBlockUnaligned(ref Unsafe.Add(ref output, op), ref Unsafe.Add(ref input, ip), (uint)literals);
            }

            ip += literals;
            op += literals;
            if (ip == inputEnd)
            {
                return op;
            }

            if (inputEnd - ip < 2)
            {
                throw new CompressionException($"An LZ4 block of {inputEnd} bytes ends inside a match offset");
            }

            int offset = Unsafe.Add(ref input, ip) | (Unsafe.Add(ref input, ip + 1) << 8);
            ip += 2;
            if (offset == 0 || offset > op)
            {
                throw new CompressionException($"An LZ4 match offset of {offset} at output position {op} points {(offset == 0 ? "at itself" : "before the start of the output")}");
            }

            int length = token & RunMask;
            if (length == RunMask)
            {
                length += ReadLengthExtension(ref input, ref ip, inputEnd, outputEnd - op);
            }

            length += MinMatch;
            if (length > outputEnd - op)
            {
                throw OutputTooLarge(outputEnd);
            }

            CopyMatch(ref output, op, offset, length, outputEnd);
            op += length;
            if (ip == inputEnd)
            {
                throw new CompressionException($"An LZ4 block of {inputEnd} bytes ends with a match: its last sequence must be literals");
            }
        }
    }

    // The bytes after a length nibble of 15: each adds its value, 255 means another follows. Bounded by the
    // block (every byte is read from it) and by what the output has left (a larger length can only be refused).
    private static int ReadLengthExtension(ref byte input, ref int ip, int inputEnd, int outputLeft)
    {
        int length = 0;
        int next;
        do
        {
            if (ip >= inputEnd)
            {
                throw new CompressionException($"An LZ4 block of {inputEnd} bytes ends inside a length");
            }

            next = Unsafe.Add(ref input, ip++);
            length += next;
            if (length > outputLeft)
            {
                throw new CompressionException($"An LZ4 length of more than {length} bytes does not fit in the {outputLeft} bytes of output left");
            }
        }
        while (next == 255);
        return length;
    }

    // Copies a match of length bytes from offset bytes back; the caller checked that offset <= op and that the
    // match fits. Whole words are used only when the output has room for their overrun, and only at a distance
    // where each word reads bytes already written.
    private static void CopyMatch(ref byte output, int op, int offset, int length, int outputEnd)
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
            for (int i = 0; i < length; i += WideCopy)
            {
                Unsafe.WriteUnaligned(ref Unsafe.Add(ref target, i), Unsafe.ReadUnaligned<Vector128<byte>>(ref Unsafe.Add(ref from, i)));
            }

            return;
        }

        if (offset >= 8)
        {
            for (int i = 0; i < length; i += 8)
            {
                Unsafe.WriteUnaligned(ref Unsafe.Add(ref target, i), Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref from, i)));
            }

            return;
        }

        // A short period (a run of one byte, a repeated small pattern): lay down its first 8 bytes one by one, then
        // copy words from a whole number of periods back, at least 8 bytes, where the pattern is already written.
        CopyBytes(ref target, ref from, 8);
        int period = offset * ((8 + offset - 1) / offset);
        for (int i = 8; i < length; i += 8)
        {
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref target, i), Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref target, i - period)));
        }
    }

    // Byte by byte, front to back: correct for any overlap.
    private static void CopyBytes(ref byte target, ref byte from, int length)
    {
        for (int i = 0; i < length; i++)
        {
            Unsafe.Add(ref target, i) = Unsafe.Add(ref from, i);
        }
    }

    private static CompressionException OutputTooLarge(int outputEnd) =>
        new($"An LZ4 block decompresses to more than the {outputEnd} bytes allowed");
}
