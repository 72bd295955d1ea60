using Snappier;

namespace Hypha.Protocol.Compression;

/// <summary>
/// The Snappy block format through Snappier 1.3.1, span to span: nothing is allocated per call (docs/dependencies.md).
/// The length a block declares in its preamble is checked against the destination before Snappier sees the block,
/// so that a block that claims more than the caller allowed gets this codec's clear error, and every failure of a
/// malformed block is a <see cref="CompressionException"/>.
/// </summary>
internal sealed class SnappyCodec : ICompressionCodec
{
    public string Name => "snappy";

    public CompressionCodecId Id => CompressionCodecId.Snappy;

    // Snappier's bound: Snappy's worst case (32 + n + n / 6) plus the 6 bytes of slack its compressor needs to
    // succeed. Computed here in 64 bits, because Snappier's own GetMaxCompressedLength overflows past 1.8 GB.
    public int MaxCompressedLength(int sourceLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sourceLength);
        return (int)Math.Min(int.MaxValue, 38L + sourceLength + (sourceLength / 6));
    }

    public int Compress(ReadOnlySpan<byte> source, Span<byte> destination) =>
        Snappy.TryCompress(source, destination, out int written) ? written : 0;

    public int Decompress(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        ulong declared = ReadDeclaredLength(source);
        if (declared > (ulong)destination.Length)
        {
            throw new CompressionException($"A Snappy block declares {declared} bytes, more than the {destination.Length} allowed");
        }

        int decoded;
        try
        {
            decoded = Snappy.Decompress(source, destination[..(int)declared]);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new CompressionException($"A Snappy block of {source.Length} bytes is malformed: {ex.Message}", ex);
        }

        if ((ulong)decoded != declared)
        {
            throw new CompressionException($"A Snappy block declares {declared} bytes and decodes to {decoded}");
        }

        return decoded;
    }

    // The block's preamble: the uncompressed length as a little-endian base-128 varint of at most 5 bytes.
    private static ulong ReadDeclaredLength(ReadOnlySpan<byte> source)
    {
        ulong length = 0;
        for (int i = 0; i < 5; i++)
        {
            if (i >= source.Length)
            {
                throw new CompressionException("A Snappy block ends inside its length preamble");
            }

            byte next = source[i];
            length |= (ulong)(next & 0x7F) << (7 * i);
            if (next < 0x80)
            {
                return length;
            }
        }

        throw new CompressionException("A Snappy block's length preamble is longer than 5 bytes");
    }
}
