using System.IO.Compression;
using Hypha.Protocol.Compression;
using Hypha.Protocol.Tests.Compression;
using Hypha.Transport.Compression;

namespace Hypha.Transport.Tests.Compression;

public sealed class ContentSamplerTests
{
    [Theory]
    [InlineData("text", 100_000, ContentKind.Text)]
    [InlineData("text", 1500, ContentKind.Text)]
    [InlineData("json", 300_000, ContentKind.Text)]
    [InlineData("binary", 100_000, ContentKind.Binary)]
    [InlineData("numeric", 100_000, ContentKind.Binary)]
    [InlineData("zero", 4096, ContentKind.Binary)]
    [InlineData("random", 100_000, ContentKind.Compressed)]
    [InlineData("random", 1024, ContentKind.Compressed)]
    public void Tells_the_kinds_apart(string kind, int size, ContentKind expected)
    {
        Assert.Equal(expected, ContentSampler.Classify(CompressionSamples.Create(kind, size)));
    }

    [Fact]
    public void Deflated_data_is_already_compressed()
    {
        using var deflated = new MemoryStream();
        using (var gzip = new GZipStream(deflated, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(CompressionSamples.Text(400_000));
        }

        Assert.Equal(ContentKind.Compressed, ContentSampler.Classify(deflated.ToArray()));
    }

    [Fact]
    public void Lz4_output_is_still_worth_a_try()
    {
        // LZ4 leaves redundancy (its literals stay as they were): binary, not random.
        byte[] text = CompressionSamples.Text(200_000);
        byte[] block = new byte[Lz4Block.MaxCompressedLength(text.Length)];
        int length = Lz4Block.Compress(text, block);
        Assert.Equal(ContentKind.Binary, ContentSampler.Classify(block.AsSpan(0, length)));
    }

    [Fact]
    public void A_random_blob_inside_a_text_frame_is_judged_by_most_of_the_message()
    {
        // A hypha frame whose text header is small and whose argument is a large random blob: the windows spread over
        // the message, so the blob decides.
        byte[] frame = [.. CompressionSamples.Text(300), .. CompressionSamples.Random(200_000)];
        Assert.Equal(ContentKind.Compressed, ContentSampler.Classify(frame));
    }

    [Fact]
    public void An_empty_message_is_binary()
    {
        Assert.Equal(ContentKind.Binary, ContentSampler.Classify([]));
    }
}
