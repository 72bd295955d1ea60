using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Hypha.Protocol.Compression;

/// <summary>
/// The LZ4 block format (the format of liblz4's <c>LZ4_compress_default</c> and <c>LZ4_decompress_safe</c>), managed
/// and span-based: no allocation per call (the hash table lives on the stack). A block is a run of sequences, each a
/// token (literal length, match length), the literals, a 16-bit little-endian offset and the rest of the match
/// length; the last sequence has literals only.
/// <para>
/// The compressor is the greedy fast-level algorithm with liblz4's parameters (a 4,096-entry table of 5-byte hashes,
/// or 8,192 entries of 4-byte hashes for inputs under 64 KiB, the same skip acceleration, the same end-of-block
/// margins), so its ratio is liblz4's. It reads only its own input: every wide read is inside the bounds the format
/// keeps free at the end of the block. The decompressor (<c>Lz4Block.Decode.cs</c>) checks every length and offset
/// against both buffers before it copies, so hostile input can only make it throw.
/// </para>
/// </summary>
public static partial class Lz4Block
{
    /// <summary>The largest input the format allows (liblz4's <c>LZ4_MAX_INPUT_SIZE</c>).</summary>
    public const int MaxInputLength = 0x7E000000;

    private const int MinMatch = 4;

    // The last 5 bytes of a block are always literals, and the last match starts at least 12 bytes before the end:
    // the margins that let both sides read and write in whole words near the end.
    private const int LastLiterals = 5;
    private const int MatchFindLimit = 12;
    private const int MinCompressibleLength = MatchFindLimit + 1;
    private const int MaxDistance = 65535;
    private const int RunMask = 15;
    private const int SkipTrigger = 6;

    // Tables of 16 KiB, as liblz4's default: 4,096 positions for any input, 8,192 16-bit positions below 64 KiB.
    private const int HashLog = 12;
    private const int SmallHashLog = HashLog + 1;
    private const int SmallInputLimit = 65536 + MatchFindLimit - 1;

    /// <summary>The largest block <paramref name="length"/> bytes can compress to (<c>LZ4_compressBound</c>).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is negative or over <see cref="MaxInputLength"/>.</exception>
    public static int MaxCompressedLength(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, MaxInputLength);
        return length + (length / 255) + 16;
    }

    /// <summary>
    /// Compresses <paramref name="source"/> into one block. A destination smaller than
    /// <see cref="MaxCompressedLength"/> is allowed: compression stops, returning 0, as soon as the block cannot fit.
    /// </summary>
    /// <returns>The block's length (at least 1), or 0 when it does not fit in <paramref name="destination"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The source is over <see cref="MaxInputLength"/>.</exception>
    public static int Compress(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(source.Length, MaxInputLength, nameof(source));
        if (source.Length < SmallInputLimit)
        {
            Span<ushort> table = stackalloc ushort[1 << SmallHashLog];
            return CompressSmall(source, destination, ref MemoryMarshal.GetReference(table));
        }

        Span<int> largeTable = stackalloc int[1 << HashLog];
        return CompressLarge(source, destination, ref MemoryMarshal.GetReference(largeTable));
    }

    // The two table layouts share one algorithm; only the hash and the stored position differ. Each is its own
    // method so the JIT keeps both loops tight instead of testing the layout on every step.
    private static int CompressSmall(ReadOnlySpan<byte> source, Span<byte> destination, ref ushort table)
    {
        var hashes = new SmallTable(ref table);
        return CompressWith(ref hashes, source, destination);
    }

    private static int CompressLarge(ReadOnlySpan<byte> source, Span<byte> destination, ref int table)
    {
        var hashes = new LargeTable(ref table);
        return CompressWith(ref hashes, source, destination);
    }

    private static int CompressWith<TTable>(ref TTable table, ReadOnlySpan<byte> source, Span<byte> destination)
        where TTable : struct, IHashTable, allows ref struct
    {
        ref byte input = ref MemoryMarshal.GetReference(source);
        ref byte output = ref MemoryMarshal.GetReference(destination);
        nint inputEnd = source.Length;
        nint outputEnd = destination.Length;
        nint anchor = 0;
        nint ip = 0;
        nint op = 0;
        if (inputEnd >= MinCompressibleLength)
        {
            nint matchLimit = inputEnd - LastLiterals;
            nint searchLimit = inputEnd - MatchFindLimit + 1;
            table.Put(ref input, ip, ip);
            ip++;
            uint forwardHash = table.Hash(ref input, ip);
            while (true)
            {
                // Find a match: look further ahead the longer nothing matches, so incompressible input goes fast.
                nint match;
                nint forward = ip;
                int step = 1;
                int attempts = 1 << SkipTrigger;
                do
                {
                    uint hash = forwardHash;
                    ip = forward;
                    forward += step;
                    step = attempts++ >> SkipTrigger;
                    if (forward > searchLimit)
                    {
                        goto LastLiterals;
                    }

                    match = table.Get(hash);
                    forwardHash = table.Hash(ref input, forward);
                    table.Set(hash, ip);
                }
                while (ip - match > MaxDistance || Read32(ref input, match) != Read32(ref input, ip));

                // Extend the match backwards over literals that match too.
                while (ip > anchor && match > 0 && Unsafe.Add(ref input, ip - 1) == Unsafe.Add(ref input, match - 1))
                {
                    ip--;
                    match--;
                }

                nint literals = ip - anchor;
                nint token = op++;
                if (op + literals + (2 + 1 + LastLiterals) + (literals / 255) > outputEnd)
                {
                    return 0;
                }

                if (literals >= RunMask)
                {
                    Unsafe.Add(ref output, token) = RunMask << 4;
                    op = WriteLengthExtension(ref output, op, literals - RunMask);
                }
                else
                {
                    Unsafe.Add(ref output, token) = (byte)(literals << 4);
                }

                // The check above left 8 bytes past the literals, and the input has 12 past the match: whole
                // words may overrun both ends of the copy.
                CopyWords(ref Unsafe.Add(ref output, op), ref Unsafe.Add(ref input, anchor), literals);
                op += literals;

                while (true)
                {
                    BinaryPrimitives.WriteUInt16LittleEndian(MemoryMarshal.CreateSpan(ref Unsafe.Add(ref output, op), 2), (ushort)(ip - match));
                    op += 2;
                    nint matchExtra = Count(ref input, ip + MinMatch, match + MinMatch, matchLimit);
                    ip += MinMatch + matchExtra;
                    if (op + (1 + LastLiterals) + ((matchExtra + 240) / 255) > outputEnd)
                    {
                        return 0;
                    }

                    if (matchExtra >= RunMask)
                    {
                        Unsafe.Add(ref output, token) += RunMask;
                        op = WriteLengthExtension(ref output, op, matchExtra - RunMask);
                    }
                    else
                    {
                        Unsafe.Add(ref output, token) += (byte)matchExtra;
                    }

                    anchor = ip;
                    if (ip >= searchLimit)
                    {
                        goto LastLiterals;
                    }

                    table.Put(ref input, ip - 2, ip - 2);

                    // A match right at the end of this one costs no search: an empty literal run and go on.
                    uint nextHash = table.Hash(ref input, ip);
                    match = table.Get(nextHash);
                    table.Set(nextHash, ip);
                    if (ip - match > MaxDistance || Read32(ref input, match) != Read32(ref input, ip))
                    {
                        break;
                    }

                    token = op++;
                    Unsafe.Add(ref output, token) = 0;
                }

                ip++;
                forwardHash = table.Hash(ref input, ip);
            }
        }

    LastLiterals:
        nint lastRun = inputEnd - anchor;
        if (op + lastRun + 1 + ((lastRun + 255 - RunMask) / 255) > outputEnd)
        {
            return 0;
        }

        if (lastRun >= RunMask)
        {
            Unsafe.Add(ref output, op++) = RunMask << 4;
            op = WriteLengthExtension(ref output, op, lastRun - RunMask);
        }
        else
        {
            Unsafe.Add(ref output, op++) = (byte)(lastRun << 4);
        }

        Unsafe.CopyBlockUnaligned(ref Unsafe.Add(ref output, op), ref Unsafe.Add(ref input, anchor), (uint)lastRun);
        return (int)(op + lastRun);
    }

    // The bytes that continue a length of 15 or more: 255 for each full 255, then the rest.
    private static nint WriteLengthExtension(ref byte output, nint op, nint length)
    {
        for (; length >= 255; length -= 255)
        {
            Unsafe.Add(ref output, op++) = 255;
        }

        Unsafe.Add(ref output, op++) = (byte)length;
        return op;
    }

    // How many more bytes match at ip and match, up to limit: a word at a time, then the tail.
    private static nint Count(ref byte input, nint ip, nint match, nint limit)
    {
        nint start = ip;
        while (ip < limit - 7)
        {
            ulong difference = Read64(ref input, match) ^ Read64(ref input, ip);
            if (difference != 0)
            {
                return ip - start + (BitOperations.TrailingZeroCount(difference) >> 3);
            }

            ip += 8;
            match += 8;
        }

        if (ip < limit - 3 && Read32(ref input, match) == Read32(ref input, ip))
        {
            ip += 4;
            match += 4;
        }

        if (ip < limit - 1 && Read16(ref input, match) == Read16(ref input, ip))
        {
            ip += 2;
            match += 2;
        }

        if (ip < limit && Unsafe.Add(ref input, match) == Unsafe.Add(ref input, ip))
        {
            ip++;
        }

        return ip - start;
    }

    // Copies length bytes 8 at a time: up to 7 bytes past the end on both sides, which the callers keep free.
    private static void CopyWords(ref byte destination, ref byte source, nint length)
    {
        for (nint i = 0; i < length; i += 8)
        {
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref destination, i), Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref source, i)));
        }
    }

    private static ushort Read16(ref byte input, nint at) =>
        BitConverter.IsLittleEndian
            ? Unsafe.ReadUnaligned<ushort>(ref Unsafe.Add(ref input, at))
            : BinaryPrimitives.ReverseEndianness(Unsafe.ReadUnaligned<ushort>(ref Unsafe.Add(ref input, at)));

    private static uint Read32(ref byte input, nint at) =>
        BitConverter.IsLittleEndian
            ? Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref input, at))
            : BinaryPrimitives.ReverseEndianness(Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref input, at)));

    private static ulong Read64(ref byte input, nint at) =>
        BitConverter.IsLittleEndian
            ? Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref input, at))
            : BinaryPrimitives.ReverseEndianness(Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref input, at)));

    // A hash table of earlier positions. Every hash is below the table's size by construction (a right shift), so
    // the unchecked indexing stays inside the stack buffer.
    private interface IHashTable
    {
        uint Hash(ref byte input, nint at);

        nint Get(uint hash);

        void Set(uint hash, nint position);

        void Put(ref byte input, nint at, nint position);
    }

    // Below 64 KiB: 16-bit positions, a 4-byte multiplicative hash over 8,192 entries.
    private readonly ref struct SmallTable(ref ushort table) : IHashTable
    {
        private readonly ref ushort _table = ref table;

        public uint Hash(ref byte input, nint at) => (Read32(ref input, at) * 2654435761u) >> (32 - SmallHashLog);

        public nint Get(uint hash) => Unsafe.Add(ref _table, hash);

        public void Set(uint hash, nint position) => Unsafe.Add(ref _table, hash) = (ushort)position;

        public void Put(ref byte input, nint at, nint position) => Set(Hash(ref input, at), position);
    }

    // From 64 KiB: 32-bit positions, a 5-byte hash over 4,096 entries (liblz4's choice on 64-bit machines).
    private readonly ref struct LargeTable(ref int table) : IHashTable
    {
        private readonly ref int _table = ref table;

        public uint Hash(ref byte input, nint at) => (uint)(((Read64(ref input, at) << 24) * 889523592379UL) >> (64 - HashLog));

        public nint Get(uint hash) => Unsafe.Add(ref _table, hash);

        public void Set(uint hash, nint position) => Unsafe.Add(ref _table, hash) = (int)position;

        public void Put(ref byte input, nint at, nint position) => Set(Hash(ref input, at), position);
    }
}
