using Hypha.Protocol.Compression;

namespace Hypha.Protocol.Tests.Compression;

/// <summary>The Snappy codec over Snappier: round trips, the shared interface's rules, and hostile blocks.</summary>
public sealed class SnappyCodecTests
{
    private static readonly ICompressionCodec Codec = CompressionCodecs.Snappy;

    [Theory]
    [InlineData("text", 0)]
    [InlineData("text", 1)]
    [InlineData("json", 100_000)]
    [InlineData("binary", 70_000)]
    [InlineData("numeric", 1 << 20)]
    [InlineData("random", 5000)]
    [InlineData("zero", 1 << 20)]
    public void Round_trips(string kind, int size)
    {
        byte[] original = CompressionSamples.Create(kind, size);
        byte[] block = new byte[Codec.MaxCompressedLength(size)];
        int length = Codec.Compress(original, block);
        Assert.InRange(length, 1, block.Length);

        byte[] restored = new byte[size];
        Assert.Equal(size, Codec.Decompress(block.AsSpan(0, length), restored));
        Assert.Equal(original, restored);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(1_800_000_000)]
    [InlineData(int.MaxValue)]
    public void The_bound_holds_Snappiers_slack_and_never_overflows(int size)
    {
        long exact = 38L + size + (size / 6);
        Assert.Equal((int)Math.Min(int.MaxValue, exact), Codec.MaxCompressedLength(size));
    }

    [Fact]
    public void Incompressible_data_fits_the_bound_exactly()
    {
        byte[] random = CompressionSamples.Random(1 << 16);
        byte[] block = new byte[Codec.MaxCompressedLength(random.Length)];
        int length = Codec.Compress(random, block);
        Assert.InRange(length, random.Length, block.Length);
    }

    [Fact]
    public void A_destination_too_small_returns_zero()
    {
        byte[] random = CompressionSamples.Random(10_000);
        Assert.Equal(0, Codec.Compress(random, new byte[random.Length - 1]));
    }

    [Fact]
    public void A_declared_length_over_the_destination_is_refused_before_decoding()
    {
        // The preamble claims 4 GiB - 1: refused from the preamble alone, nothing is allocated for it.
        byte[] bomb = [0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x00];
        CompressionException error = Assert.Throws<CompressionException>(() => Codec.Decompress(bomb, new byte[1024]));
        Assert.Contains("declares 4294967295 bytes", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x80, 0x01 })]
    [InlineData(new byte[] { 0x0A, 0x00, 0x61 })]
    [InlineData(new byte[] { 0x0A, 0xFC, 0xFF, 0xFF, 0xFF, 0xFF })]
    [InlineData(new byte[] { 0x04, 0x01, 0x05, 0x00 })]
    public void Malformed_blocks_throw_a_clear_exception(byte[] block)
    {
        Assert.Throws<CompressionException>(() => Codec.Decompress(block, new byte[64]));
    }

    [Fact]
    public void Mutated_blocks_only_decode_or_throw()
    {
        var random = new Random(5);
        byte[] original = CompressionSamples.Json(3000);
        byte[] block = new byte[Codec.MaxCompressedLength(original.Length)];
        byte[] seed = block[..Codec.Compress(original, block)];
        byte[] destination = new byte[original.Length];
        for (int i = 0; i < 20_000; i++)
        {
            byte[] mutated = (byte[])seed.Clone();
            mutated[random.Next(mutated.Length)] = (byte)random.Next(256);
            try
            {
                Assert.InRange(Codec.Decompress(mutated, destination), 0, destination.Length);
            }
            catch (CompressionException)
            {
            }
        }
    }
}
