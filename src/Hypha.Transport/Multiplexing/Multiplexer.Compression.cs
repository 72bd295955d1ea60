using System.Buffers;
using Hypha.Protocol.Compression;
using Hypha.Protocol.Native;
using Hypha.Transport.Compression;

namespace Hypha.Transport.Multiplexing;

// Compression (docs/wire-format.md §3.4, docs/native-mode.md "Compression"). Sending: the policy picks a codec for
// the message on the thread that queues it (the writer loop never does CPU work on one message while others wait),
// and a message that shrinks is queued as its compressed payload in a pooled buffer. A message flagged SHM_REF is
// never compressed: the policy declines it, so shared-memory references bypass compression by their flag alone.
// Receiving: the flags and the declared length are checked as the whole message arrives (a bomb is refused before
// anything is decompressed), and the message is decompressed when it is delivered, so what waits for the
// application is bounded by the windows in wire bytes and only one decompressed message per delivery is extra. A
// message of 1 MiB or more on the wire is checked by its join instead, and one that declares 1 MiB or more is
// decompressed on the thread pool, not on the reader (Multiplexer.LargeMessages.cs).
public sealed partial class Multiplexer
{
    private readonly CompressionPolicy _compression;

    // The compressed payload of the message, queued in a pooled buffer; null when the message goes as it is.
    private OutgoingMessage? EnqueueCompressed(NativeChannel channel, ReadOnlyMemory<byte> message, FrameFlags flags)
    {
        ICompressionCodec? codec = _compression.CodecFor(channel, message.Span, flags);
        if (codec is null)
        {
            return null;
        }

        byte[] buffer = ArrayPool<byte>.Shared.Rent(message.Length);
        int length = CompressedMessage.Write(codec, message.Span, buffer);
        if (length == 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            CountNotShrunk();
            return null;
        }

        CountCompressed(message.Length, length);
        try
        {
            return Enqueue(channel, buffer.AsMemory(0, length), flags | CompressedMessage.FlagsFor(codec), buffer);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    // Checks a whole compressed message as it arrives: a codec both sides agreed to, and a declared length within
    // what this side accepts: an rpc message was no larger than a frame before it was compressed (§4), any other
    // no larger than a message.
    private void InspectCompressed(IncomingMessage message)
    {
        if ((message.Flags & (FrameFlags.Compressed | FrameFlags.CodecMask)) != 0)
        {
            ReceivableCodec(message.Flags);
            CompressedMessage.ReadOriginalLength(message.Payload.Span, DecompressedLimit(message.Channel));
        }
    }

    // The message with its original bytes, when it was compressed.
    // Throws NativeProtocolException for a block that does not decompress to its declared length.
    private IncomingMessage Decompress(IncomingMessage message)
    {
        if ((message.Flags & FrameFlags.Compressed) == 0)
        {
            return message;
        }

        byte[] original = CompressedMessage.Read(ReceivableCodec(message.Flags), message.Payload.Span, DecompressedLimit(message.Channel));
        return message with { Payload = original, Flags = message.Flags & ~(FrameFlags.Compressed | FrameFlags.CodecMask) };
    }

    private ICompressionCodec ReceivableCodec(FrameFlags flags)
    {
        if ((flags & FrameFlags.Compressed) == 0)
        {
            throw new NativeProtocolException(NativeErrorCode.ProtocolError, $"Codec bits without COMPRESSED in flags 0x{(byte)flags:x2}");
        }

        ICompressionCodec? codec = CompressionCodecs.Find(CompressedMessage.CodecOf(flags));
        return codec is not null && Agreement.Compression.Contains(codec.Name)
            ? codec
            : throw new NativeProtocolException(NativeErrorCode.ProtocolError, $"A message compressed with codec {(int)CompressedMessage.CodecOf(flags)}, which was not negotiated");
    }

    private int DecompressedLimit(NativeChannel channel) => channel == NativeChannel.Rpc ? Local.MaxFrame : Local.MaxMessage;
}
