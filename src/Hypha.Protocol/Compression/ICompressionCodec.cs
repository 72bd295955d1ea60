namespace Hypha.Protocol.Compression;

/// <summary>
/// A block compressor: one whole message in, one block out, no framing of its own beyond what the format itself
/// carries. The native multiplexer chooses one per message (docs/wire-format.md §3.4).
/// </summary>
public interface ICompressionCodec
{
    /// <summary>The name announced in the Hello's <c>compression</c> list (<c>lz4</c>, <c>snappy</c>).</summary>
    string Name { get; }

    /// <summary>The value of the codec bits of a frame's flags (docs/wire-format.md §3.2).</summary>
    CompressionCodecId Id { get; }

    /// <summary>The largest output <see cref="Compress"/> can produce for <paramref name="sourceLength"/> bytes.</summary>
    int MaxCompressedLength(int sourceLength);

    /// <summary>
    /// Compresses <paramref name="source"/> into <paramref name="destination"/>. A destination smaller than
    /// <see cref="MaxCompressedLength"/> is allowed: the codec stops as soon as the output cannot fit.
    /// </summary>
    /// <returns>The bytes written, or 0 when the output does not fit in <paramref name="destination"/>.</returns>
    int Compress(ReadOnlySpan<byte> source, Span<byte> destination);

    /// <summary>
    /// Decompresses one block into <paramref name="destination"/>, which bounds the output: a block that would
    /// write more is refused before anything past the destination is touched. Bytes of the destination past the
    /// returned length may have been overwritten.
    /// </summary>
    /// <returns>The bytes written.</returns>
    /// <exception cref="CompressionException">The block is malformed, or its output does not fit.</exception>
    int Decompress(ReadOnlySpan<byte> source, Span<byte> destination);
}
