using System.Buffers.Binary;
using Hypha.Protocol.Compression;

namespace Hypha.Protocol.Native;

/// <summary>
/// The payload of a message sent with COMPRESSED (docs/wire-format.md §3.4): the original length as a u32
/// little-endian, then one block of the codec the frame's codec bits name. The length comes first so that a receiver
/// refuses a message that would decompress past its limit before it decompresses (or allocates) anything.
/// </summary>
public static class CompressedMessage
{
    /// <summary>The bytes in front of the block.</summary>
    public const int HeaderSize = 4;

    /// <summary>The frame flags of a message compressed with <paramref name="codec"/>: COMPRESSED and its codec bits.</summary>
    public static FrameFlags FlagsFor(ICompressionCodec codec)
    {
        ArgumentNullException.ThrowIfNull(codec);
        return FrameFlags.Compressed | (FrameFlags)((int)codec.Id << 2);
    }

    /// <summary>The codec bits of <paramref name="flags"/>.</summary>
    public static CompressionCodecId CodecOf(FrameFlags flags) => (CompressionCodecId)((int)(flags & FrameFlags.CodecMask) >> 2);

    /// <summary>
    /// Compresses <paramref name="message"/> into <paramref name="destination"/> as a compressed payload, but only if
    /// the payload comes out smaller than the message: otherwise the message is better sent as it is.
    /// </summary>
    /// <returns>The payload's length, or 0 when it would not be smaller than the message (or does not fit).</returns>
    public static int Write(ICompressionCodec codec, ReadOnlySpan<byte> message, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(codec);
        int capacity = Math.Min(destination.Length, message.Length - 1) - HeaderSize;
        if (capacity <= 0)
        {
            return 0;
        }

        int block = codec.Compress(message, destination.Slice(HeaderSize, capacity));
        if (block == 0)
        {
            return 0;
        }

        BinaryPrimitives.WriteUInt32LittleEndian(destination, (uint)message.Length);
        return HeaderSize + block;
    }

    /// <summary>The original length a compressed payload declares, checked against <paramref name="limit"/>.</summary>
    /// <exception cref="NativeProtocolException">
    /// The payload is shorter than its header (<c>protocol_error</c>), or it declares more than the limit
    /// (<c>frame_too_large</c>: a decompression bomb is refused before anything is decompressed).
    /// </exception>
    public static int ReadOriginalLength(ReadOnlySpan<byte> payload, int limit)
    {
        if (payload.Length < HeaderSize)
        {
            throw new NativeProtocolException(NativeErrorCode.ProtocolError, $"A compressed message of {payload.Length} bytes is shorter than its {HeaderSize}-byte length");
        }

        uint declared = BinaryPrimitives.ReadUInt32LittleEndian(payload);
        return declared <= (uint)limit
            ? (int)declared
            : throw new NativeProtocolException(NativeErrorCode.FrameTooLarge, $"A compressed message declares {declared} bytes, over the maximum of {limit}");
    }

    /// <summary>The original length a compressed payload declares, unchecked; false when it is shorter than its header.</summary>
    public static bool TryPeekOriginalLength(ReadOnlySpan<byte> payload, out uint declared)
    {
        if (payload.Length < HeaderSize)
        {
            declared = 0;
            return false;
        }

        declared = BinaryPrimitives.ReadUInt32LittleEndian(payload);
        return true;
    }

    /// <summary>Decompresses a compressed payload into a new array of exactly the declared length.</summary>
    /// <exception cref="NativeProtocolException">
    /// The declared length is over <paramref name="limit"/> (<c>frame_too_large</c>), or the block is malformed or
    /// does not decompress to exactly the declared length (<c>protocol_error</c>).
    /// </exception>
    public static byte[] Read(ICompressionCodec codec, ReadOnlySpan<byte> payload, int limit)
    {
        ArgumentNullException.ThrowIfNull(codec);
        int length = ReadOriginalLength(payload, limit);
        byte[] message = GC.AllocateUninitializedArray<byte>(length);
        int written;
        try
        {
            written = codec.Decompress(payload[HeaderSize..], message);
        }
        catch (CompressionException ex)
        {
            throw new NativeProtocolException(NativeErrorCode.ProtocolError, $"A {codec.Name} message cannot be decompressed: {ex.Message}");
        }

        return written == length
            ? message
            : throw new NativeProtocolException(NativeErrorCode.ProtocolError, $"A {codec.Name} message declares {length} bytes and decompresses to {written}");
    }
}
