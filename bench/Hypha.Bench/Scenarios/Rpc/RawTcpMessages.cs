using System.Buffers;
using System.Buffers.Binary;

namespace Hypha.Bench.Scenarios.Rpc;

/// <summary>
/// The messages of the <c>raw-tcp</c> case: a 4-byte little-endian payload length, then the payload. Sizes match what
/// a hypha call puts on the wire, so the floor moves the same bytes: a request as large as the <c>add(21, 7)</c> call
/// frame of the codec scenario, a reply of about the size of hypha's answer frame.
/// </summary>
internal static class RawTcpMessages
{
    public const int HeaderBytes = 4;

    /// <summary>Request payload: id, a, b (4 bytes each), then zeros up to the 136 bytes of the codec call frame.</summary>
    public const int RequestBytes = 136;

    /// <summary>Reply payload: id, sum (4 bytes each), then zeros up to 100 bytes.</summary>
    public const int ReplyBytes = 100;

    public const int RequestMessageBytes = HeaderBytes + RequestBytes;

    public const int ReplyMessageBytes = HeaderBytes + ReplyBytes;

    // No message of this case is larger; a bigger length means the stream is out of step.
    private const int MaxPayloadBytes = RequestBytes;

    /// <summary>Takes the first whole message off <paramref name="buffer"/>; false when it has not fully arrived yet.</summary>
    public static bool TryTake(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> payload)
    {
        payload = default;
        if (buffer.Length < HeaderBytes)
        {
            return false;
        }

        Span<byte> header = stackalloc byte[HeaderBytes];
        buffer.Slice(0, HeaderBytes).CopyTo(header);
        int length = BinaryPrimitives.ReadInt32LittleEndian(header);
        if (length is < 0 or > MaxPayloadBytes)
        {
            throw new InvalidDataException($"raw-tcp: message length {length} is outside 0..{MaxPayloadBytes}.");
        }

        if (buffer.Length < HeaderBytes + length)
        {
            return false;
        }

        payload = buffer.Slice(HeaderBytes, length);
        buffer = buffer.Slice(payload.End);
        return true;
    }

    public static void WriteRequest(Span<byte> message, int id, int a, int b)
    {
        Span<byte> payload = Begin(message, RequestBytes);
        BinaryPrimitives.WriteInt32LittleEndian(payload, id);
        BinaryPrimitives.WriteInt32LittleEndian(payload[4..], a);
        BinaryPrimitives.WriteInt32LittleEndian(payload[8..], b);
        payload[12..].Clear();
    }

    public static (int Id, int A, int B) ReadRequest(ReadOnlySequence<byte> payload)
    {
        Span<byte> fields = stackalloc byte[12];
        Read(payload, RequestBytes, fields, "request");
        return (BinaryPrimitives.ReadInt32LittleEndian(fields), BinaryPrimitives.ReadInt32LittleEndian(fields[4..]),
            BinaryPrimitives.ReadInt32LittleEndian(fields[8..]));
    }

    public static void WriteReply(Span<byte> message, int id, int sum)
    {
        Span<byte> payload = Begin(message, ReplyBytes);
        BinaryPrimitives.WriteInt32LittleEndian(payload, id);
        BinaryPrimitives.WriteInt32LittleEndian(payload[4..], sum);
        payload[8..].Clear();
    }

    public static (int Id, int Sum) ReadReply(ReadOnlySequence<byte> payload)
    {
        Span<byte> fields = stackalloc byte[8];
        Read(payload, ReplyBytes, fields, "reply");
        return (BinaryPrimitives.ReadInt32LittleEndian(fields), BinaryPrimitives.ReadInt32LittleEndian(fields[4..]));
    }

    // Writes the header and returns the payload's span.
    private static Span<byte> Begin(Span<byte> message, int payloadBytes)
    {
        BinaryPrimitives.WriteInt32LittleEndian(message, payloadBytes);
        return message.Slice(HeaderBytes, payloadBytes);
    }

    private static void Read(ReadOnlySequence<byte> payload, int expectedBytes, Span<byte> fields, string what)
    {
        if (payload.Length != expectedBytes)
        {
            throw new InvalidDataException($"raw-tcp: a {what} has {payload.Length} bytes instead of {expectedBytes}.");
        }

        payload.Slice(0, fields.Length).CopyTo(fields);
    }
}
