namespace Hypha.Protocol.Compression;

/// <summary>The LZ4 block format through <see cref="Lz4Block"/>.</summary>
internal sealed class Lz4Codec : ICompressionCodec
{
    public string Name => "lz4";

    public CompressionCodecId Id => CompressionCodecId.Lz4;

    public int MaxCompressedLength(int sourceLength) => Lz4Block.MaxCompressedLength(sourceLength);

    public int Compress(ReadOnlySpan<byte> source, Span<byte> destination) => Lz4Block.Compress(source, destination);

    public int Decompress(ReadOnlySpan<byte> source, Span<byte> destination) => Lz4Block.Decompress(source, destination);
}
