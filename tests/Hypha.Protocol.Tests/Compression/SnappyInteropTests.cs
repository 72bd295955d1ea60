using Hypha.Protocol.Compression;

namespace Hypha.Protocol.Tests.Compression;

/// <summary>
/// The Snappy codec against the reference, Google's libsnappy: each side decompresses what the other compressed, over
/// every kind of sample and sizes from 0 bytes to 16 MiB (across Snappy's 64 KiB fragments).
/// </summary>
public sealed class SnappyInteropTests
{
    private static readonly int[] Sizes = [0, 1, 4, 15, 16, 17, 100, 1000, 65535, 65536, 65537, 100_000, 1 << 20, 16 << 20];

    private static readonly ICompressionCodec Codec = CompressionCodecs.Snappy;

    public static TheoryData<string, int> Corpus() => CodecCrossCheck.Corpus(Sizes);

    [Theory]
    [MemberData(nameof(Corpus))]
    public void Our_blocks_decompress_with_libsnappy(string kind, int size) =>
        CodecCrossCheck.Restores(kind, size, Codec.MaxCompressedLength(size), Codec.Compress, LibSnappy.Decompress, "libsnappy did not restore our block");

    [Theory]
    [MemberData(nameof(Corpus))]
    public void Libsnappy_blocks_decompress_with_ours(string kind, int size) =>
        CodecCrossCheck.Restores(kind, size, LibSnappy.MaxCompressedLength(size), LibSnappy.Compress, Codec.Decompress, "we did not restore libsnappy's block");

    [Fact]
    public void Our_bound_is_at_least_libsnappys()
    {
        foreach (int size in Sizes)
        {
            Assert.True(Codec.MaxCompressedLength(size) >= LibSnappy.MaxCompressedLength(size), $"{size}");
        }
    }
}
