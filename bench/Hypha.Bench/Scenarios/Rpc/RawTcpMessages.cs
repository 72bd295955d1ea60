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

    /// <summary>No message of this case is larger; a bigger length means the stream is out of step.</summary>
    public const int MaxPayloadBytes = RequestBytes;

    /// <summary>The length of the whole messages at the start of <paramref name="bytes"/>; a partial one is left out.</summary>
    public static int WholeLength(ReadOnlySpan<byte> bytes)
    {
        int whole = 0;
        while (TryTake(ref bytes, out ReadOnlySpan<byte> payload))
        {
            whole += HeaderBytes + payload.Length;
        }

        return whole;
    }

    /// <summary>Takes the first whole message off <paramref name="bytes"/>; false when it has not fully arrived yet.</summary>
    public static bool TryTake(ref ReadOnlySpan<byte> bytes, out ReadOnlySpan<byte> payload)
    {
        payload = default;
        if (bytes.Length < HeaderBytes)
        {
            return false;
        }

        int length = BinaryPrimitives.ReadInt32LittleEndian(bytes);
        if (length is < 0 or > MaxPayloadBytes)
        {
            throw new InvalidDataException($"raw-tcp: message length {length} is outside 0..{MaxPayloadBytes}.");
        }

        if (bytes.Length < HeaderBytes + length)
        {
            return false;
        }

        payload = bytes.Slice(HeaderBytes, length);
        bytes = bytes[(HeaderBytes + length)..];
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

    public static (int Id, int A, int B) ReadRequest(ReadOnlySpan<byte> payload)
    {
        Check(payload, RequestBytes, "request");
        return (BinaryPrimitives.ReadInt32LittleEndian(payload), BinaryPrimitives.ReadInt32LittleEndian(payload[4..]),
            BinaryPrimitives.ReadInt32LittleEndian(payload[8..]));
    }

    public static void WriteReply(Span<byte> message, int id, int sum)
    {
        Span<byte> payload = Begin(message, ReplyBytes);
        BinaryPrimitives.WriteInt32LittleEndian(payload, id);
        BinaryPrimitives.WriteInt32LittleEndian(payload[4..], sum);
        payload[8..].Clear();
    }

    public static (int Id, int Sum) ReadReply(ReadOnlySpan<byte> payload)
    {
        Check(payload, ReplyBytes, "reply");
        return (BinaryPrimitives.ReadInt32LittleEndian(payload), BinaryPrimitives.ReadInt32LittleEndian(payload[4..]));
    }

    // Writes the header and returns the payload's span.
    private static Span<byte> Begin(Span<byte> message, int payloadBytes)
    {
        BinaryPrimitives.WriteInt32LittleEndian(message, payloadBytes);
        return message.Slice(HeaderBytes, payloadBytes);
    }

    private static void Check(ReadOnlySpan<byte> payload, int expectedBytes, string what)
    {
        if (payload.Length != expectedBytes)
        {
            throw new InvalidDataException($"raw-tcp: a {what} has {payload.Length} bytes instead of {expectedBytes}.");
        }
    }
}
