using Hypha.Protocol.Compression;

namespace Hypha.Protocol.Tests.Compression;

/// <summary>
/// Our LZ4 block codec against the reference, the system's liblz4: each side decompresses what the other
/// compressed, over every kind of sample and sizes from 0 bytes to 16 MiB (across the 64 KiB table switch).
/// </summary>
public sealed class Lz4InteropTests
{
    private static readonly int[] Sizes =
        [0, 1, 4, 5, 12, 13, 14, 31, 100, 1000, 4096, 65535, 65546, 65547, 65548, 100_000, 1 << 20, 16 << 20];

    public static TheoryData<string, int> Corpus() => CodecCrossCheck.Corpus(Sizes);

    [Theory]
    [MemberData(nameof(Corpus))]
    public void Our_blocks_decompress_with_liblz4(string kind, int size) =>
        CodecCrossCheck.Restores(kind, size, Lz4Block.MaxCompressedLength(size), Lz4Block.Compress, LibLz4.Decompress, "liblz4 did not restore our block");

    [Theory]
    [MemberData(nameof(Corpus))]
    public void Liblz4_blocks_decompress_with_ours(string kind, int size) =>
        CodecCrossCheck.Restores(kind, size, LibLz4.CompressBound(size), LibLz4.Compress, Lz4Block.Decompress, "we did not restore liblz4's block");

    [Theory]
    [InlineData("text", 3)]
    [InlineData("json", 9)]
    [InlineData("binary", 12)]
    [InlineData("numeric", 9)]
    [InlineData("zero", 12)]
    public void High_compression_blocks_of_liblz4_decompress_with_ours(string kind, int level)
    {
        // The HC parser makes other choices (long offsets, overlapping short-period matches): a second oracle.
        byte[] original = CompressionSamples.Create(kind, 300_000);
        byte[] block = new byte[LibLz4.CompressBound(original.Length)];
        int length = LibLz4.CompressHighCompression(original, block, level);
        byte[] restored = new byte[original.Length];
        Assert.Equal(original.Length, Lz4Block.Decompress(block.AsSpan(0, length), restored));
        Assert.Equal(original, restored);
    }

    [Theory]
    [InlineData("text", 1 << 20)]
    [InlineData("json", 60_000)]
    [InlineData("binary", 1 << 20)]
    [InlineData("numeric", 1 << 20)]
    public void The_ratio_is_within_two_percent_of_liblz4(string kind, int size)
    {
        byte[] original = CompressionSamples.Create(kind, size);
        int ours = Lz4Block.Compress(original, new byte[Lz4Block.MaxCompressedLength(size)]);
        int native = LibLz4.Compress(original, new byte[LibLz4.CompressBound(size)]);
        Assert.InRange((double)ours / native, 0.98, 1.02);
    }

    [Fact]
    public void The_bound_is_liblz4s()
    {
        foreach (int size in Sizes)
        {
            Assert.Equal(LibLz4.CompressBound(size), Lz4Block.MaxCompressedLength(size));
        }
    }

    [Theory]
    [InlineData("text")]
    [InlineData("random")]
    [InlineData("numeric")]
    public void A_destination_too_small_returns_zero_and_never_writes_past_it(string kind)
    {
        byte[] original = CompressionSamples.Create(kind, 50_000);
        int full = Lz4Block.Compress(original, new byte[Lz4Block.MaxCompressedLength(original.Length)]);
        foreach (int capacity in new[] { 0, 1, full / 2, full - 1 })
        {
            byte[] destination = new byte[capacity + 64];
            destination.AsSpan(capacity).Fill(0xA5);
            Assert.Equal(0, Lz4Block.Compress(original, destination.AsSpan(0, capacity)));
            Assert.All(destination[capacity..], b => Assert.Equal(0xA5, b));
        }

        byte[] exact = new byte[full];
        Assert.Equal(full, Lz4Block.Compress(original, exact));
        Assert.Equal(original, Decompressed(exact, original.Length));
    }

    [Fact]
    public void Incompressible_input_cannot_fit_below_its_own_size()
    {
        // The multiplexer's "keep the original" rule gives the compressor a destination smaller than the input.
        byte[] random = CompressionSamples.Random(10_000);
        Assert.Equal(0, Lz4Block.Compress(random, new byte[random.Length - 1]));
    }

    private static byte[] Decompressed(byte[] block, int length)
    {
        byte[] restored = new byte[length];
        Assert.Equal(length, Lz4Block.Decompress(block, restored));
        return restored;
    }
}
