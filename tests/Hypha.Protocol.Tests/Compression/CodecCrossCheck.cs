namespace Hypha.Protocol.Tests.Compression;

/// <summary>One side's compress or decompress, span to span: the bytes written (or a non-positive failure).</summary>
internal delegate int BlockTransform(ReadOnlySpan<byte> source, Span<byte> destination);

/// <summary>
/// The interop check of a block codec against its reference implementation: one side compresses a sample, the other
/// decompresses it, and the result must be the sample, over every kind of sample and a list of sizes.
/// </summary>
internal static class CodecCrossCheck
{
    /// <summary>Every sample kind at every one of <paramref name="sizes"/>.</summary>
    public static TheoryData<string, int> Corpus(IEnumerable<int> sizes)
    {
        var data = new TheoryData<string, int>();
        foreach (string kind in CompressionSamples.Kinds)
        {
            foreach (int size in sizes)
            {
                data.Add(kind, size);
            }
        }

        return data;
    }

    /// <summary>Compresses the sample with <paramref name="compress"/> and checks that <paramref name="decompress"/> restores it.</summary>
    public static void Restores(string kind, int size, int bound, BlockTransform compress, BlockTransform decompress, string what)
    {
        byte[] original = CompressionSamples.Create(kind, size);
        byte[] block = new byte[bound];
        int length = compress(original, block);
        Assert.InRange(length, 1, block.Length);

        byte[] restored = new byte[size];
        Assert.Equal(size, decompress(block.AsSpan(0, length), restored));
        Assert.True(original.AsSpan().SequenceEqual(restored), $"{kind}/{size}: {what}");
    }
}
