using IronSnappy;

namespace Hypha.Protocol.Compression;

/// <summary>
/// The Snappy block format through IronSnappy 1.3.0. IronSnappy's API takes spans but returns new arrays, so each
/// call allocates its output once and this codec copies it into the caller's buffer (docs/dependencies.md). The
/// length a block declares in its preamble is checked against the destination before IronSnappy sees the block,
/// so a block cannot make it allocate more than the caller allowed.
/// </summary>
internal sealed class SnappyCodec : ICompressionCodec
{
    public string Name => "snappy";

    public CompressionCodecId Id => CompressionCodecId.Snappy;

    // Snappy's worst case: 32 + n + n / 6.
    public int MaxCompressedLength(int sourceLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sourceLength);
        return (int)Math.Min(int.MaxValue, 32L + sourceLength + (sourceLength / 6));
    }

    public int Compress(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        byte[] encoded = Snappy.Encode(source);
        if (encoded.Length > destination.Length)
        {
            return 0;
        }

        encoded.CopyTo(destination);
        return encoded.Length;
    }

    public int Decompress(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        ulong declared = ReadDeclaredLength(source);
        if (declared > (ulong)destination.Length)
        {
            throw new CompressionException($"A Snappy block declares {declared} bytes, more than the {destination.Length} allowed");
        }

        byte[] decoded;
        try
        {
            decoded = Snappy.Decode(source);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new CompressionException($"A Snappy block of {source.Length} bytes is malformed: {ex.Message}", ex);
        }

        if ((ulong)decoded.Length != declared)
        {
            throw new CompressionException($"A Snappy block declares {declared} bytes and decodes to {decoded.Length}");
        }

        decoded.CopyTo(destination);
        return decoded.Length;
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
