using Hypha.Protocol.Compression;

namespace Hypha.Protocol.Tests.Compression;

/// <summary>
/// The LZ4 decompressor against hostile input: hand-made malformed blocks, then 100,000 mutations of valid blocks
/// decoded between guard pages. The only acceptable outcomes are a block decoded within bounds or a
/// <see cref="CompressionException"/>; a read or write one byte outside either span crashes the test run.
/// </summary>
public sealed class Lz4FuzzTests
{
    public static TheoryData<string, byte[], int> MalformedBlocks() => new()
    {
        { "empty block", [], 16 },
        { "offset 0", [0x10, (byte)'a', 0x00, 0x00, 0x00], 64 },
        { "offset before the start", [0x10, (byte)'a', 0x02, 0x00, 0x00], 64 },
        { "offset far before the start", [0x10, (byte)'a', 0xFF, 0xFF, 0x00], 64 },
        { "literals past the end of the block", [0x50, (byte)'a', (byte)'b'], 64 },
        { "overlong literal run", [0xF0, 0xFF, 0xFF, 0xFF, 0x10, (byte)'a'], 64 },
        { "literals larger than the output", [0x50, 1, 2, 3, 4, 5], 4 },
        { "match larger than the output", [0x1F, (byte)'a', 0x01, 0x00, 0xFF, 0x10, 0x00], 64 },
        { "ends inside an offset", [0x10, (byte)'a', 0x01], 64 },
        { "ends inside a literal length", [0xF0, 0xFF], 64 },
        { "ends inside a match length", [0x1F, (byte)'a', 0x01, 0x00, 0xFF], 64 },
        { "ends with a match", [0x14, (byte)'a', 0x01, 0x00], 64 },
        { "a length that would overflow", [0xF0, .. Enumerable.Repeat((byte)0xFF, 5000), 0x00], int.MaxValue / 2 },
    };

    [Theory]
    [MemberData(nameof(MalformedBlocks))]
    public void Malformed_blocks_throw_a_clear_exception(string what, byte[] block, int capacity)
    {
        byte[] destination = new byte[Math.Min(capacity, 1 << 16)];
        CompressionException error = Assert.Throws<CompressionException>(() => Lz4Block.Decompress(block, destination));
        Assert.Contains("LZ4", error.Message, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(what));
    }

    [Fact]
    public void Output_larger_than_declared_is_refused_before_it_is_written()
    {
        byte[] original = CompressionSamples.Text(10_000);
        byte[] block = new byte[Lz4Block.MaxCompressedLength(original.Length)];
        int length = Lz4Block.Compress(original, block);
        using var memory = new GuardedMemory(original.Length);
        byte[] blockCopy = block[..length];
        Assert.Throws<CompressionException>(() => Lz4Block.Decompress(blockCopy, memory.Span(original.Length - 1, flushEnd: true)));
    }

    [Fact]
    public void Mutated_blocks_only_ever_decode_within_bounds_or_throw()
    {
        var random = new Random(20261130);
        List<(byte[] Block, int Length)> seeds = Seeds();
        using var source = new GuardedMemory(1 << 16);
        using var destination = new GuardedMemory(1 << 16);
        int decoded = 0, refused = 0, agreedWithLiblz4 = 0;
        for (int i = 0; i < 100_000; i++)
        {
            (byte[] seed, int originalLength) = seeds[random.Next(seeds.Count)];
            byte[] block = Mutate(seed, random);
            int capacity = random.Next(4) switch
            {
                0 => originalLength,
                1 => Math.Max(0, originalLength - random.Next(1, 64)),
                2 => originalLength + random.Next(1, 256),
                _ => random.Next(0, 8192),
            };
            bool flushEnd = (i & 1) == 0;
            Span<byte> input = source.Span(block.Length, flushEnd);
            block.CopyTo(input);
            Span<byte> output = destination.Span(capacity, flushEnd);
            try
            {
                int written = Lz4Block.Decompress(input, output);
                Assert.InRange(written, 0, capacity);
                decoded++;

                // Where liblz4 decodes the same block too, both must produce the same bytes.
                byte[] reference = new byte[capacity];
                if (LibLz4.Decompress(block, reference) == written)
                {
                    Assert.True(output[..written].SequenceEqual(reference.AsSpan(0, written)), $"mutation {i}: different output from liblz4");
                    agreedWithLiblz4++;
                }
            }
            catch (CompressionException)
            {
                refused++;
            }
        }

        Assert.True(decoded > 1000 && refused > 1000, $"the mutations should both pass and fail: {decoded} decoded, {refused} refused");
        Assert.True(agreedWithLiblz4 > 1000, $"only {agreedWithLiblz4} outputs compared with liblz4");
    }

    // Valid blocks of every kind, from our compressor and from liblz4's fast and high-compression levels.
    private static List<(byte[] Block, int Length)> Seeds()
    {
        var seeds = new List<(byte[], int)>();
        foreach (string kind in CompressionSamples.Kinds)
        {
            foreach (int size in new[] { 1, 20, 300, 4000, 40_000 })
            {
                byte[] original = CompressionSamples.Create(kind, size);
                byte[] block = new byte[Lz4Block.MaxCompressedLength(size)];
                seeds.Add((block[..Lz4Block.Compress(original, block)], size));
                seeds.Add((block[..LibLz4.CompressHighCompression(original, block, 9)], size));
            }
        }

        return seeds;
    }

    private static byte[] Mutate(byte[] seed, Random random)
    {
        byte[] block = (byte[])seed.Clone();
        int mutations = random.Next(1, 5);
        for (int m = 0; m < mutations && block.Length > 0; m++)
        {
            int at = random.Next(block.Length);
            switch (random.Next(6))
            {
                case 0:
                    block[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    block[at] = (byte)random.Next(256);
                    break;
                case 2:
                    block[at] = random.Next(2) == 0 ? (byte)0xFF : (byte)0x00;
                    break;
                case 3:
                    block = block[..at];
                    break;
                case 4:
                    block = [.. block, .. Enumerable.Range(0, random.Next(1, 16)).Select(_ => (byte)random.Next(256))];
                    break;
                default:
                    int length = Math.Min(random.Next(1, 32), block.Length - at);
                    block = [.. block[..at], .. block.AsSpan(at, length), .. block[at..]];
                    break;
            }
        }

        return block;
    }
}
