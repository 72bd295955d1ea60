using System.Buffers.Binary;
using System.Text;
using System.Text.Unicode;

namespace Hypha.Protocol.WebSocketFrames;

/// <summary>
/// The payload of a close frame (RFC 6455 §5.5.1): nothing, or a 16-bit status code followed by a UTF-8 reason, 125
/// bytes in all.
/// </summary>
public static class WebSocketClosePayload
{
    /// <summary>The longest reason a close frame can carry, in UTF-8 bytes.</summary>
    public const int MaxReasonBytes = WebSocketFrameHeader.MaxControlPayload - 2;

    /// <summary>
    /// Reads a close payload. An empty one is <see cref="WebSocketCloseCodes.NoStatus"/> with no reason.
    /// </summary>
    /// <exception cref="WebSocketProtocolException">
    /// One byte, or a code that may not be sent (1002), or a reason that is not UTF-8 (1007).
    /// </exception>
    public static (int Code, string Reason) Read(ReadOnlySpan<byte> payload)
    {
        if (payload.IsEmpty)
        {
            return (WebSocketCloseCodes.NoStatus, string.Empty);
        }

        if (payload.Length == 1)
        {
            throw new WebSocketProtocolException(WebSocketCloseCodes.ProtocolError, "A close frame with a one-byte payload");
        }

        int code = BinaryPrimitives.ReadUInt16BigEndian(payload);
        if (!IsSendable(code))
        {
            throw new WebSocketProtocolException(WebSocketCloseCodes.ProtocolError, $"A close frame with the status code {code}, which may not be sent");
        }

        ReadOnlySpan<byte> reason = payload[2..];
        if (!Utf8.IsValid(reason))
        {
            throw new WebSocketProtocolException(WebSocketCloseCodes.InvalidPayload, "A close reason that is not valid UTF-8");
        }

        return (code, Encoding.UTF8.GetString(reason));
    }

    /// <summary>
    /// Writes a close payload into <paramref name="destination"/> (at least 125 bytes): nothing for
    /// <see cref="WebSocketCloseCodes.NoStatus"/>, else the code and as much of the reason as fits, cut at a character.
    /// </summary>
    /// <returns>The bytes written.</returns>
    public static int Write(Span<byte> destination, int code, string reason)
    {
        if (code == WebSocketCloseCodes.NoStatus)
        {
            return 0;
        }

        if (!IsSendable(code))
        {
            throw new ArgumentOutOfRangeException(nameof(code), code, "Not a status code a close frame may carry.");
        }

        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)code);
        Encoding.UTF8.GetEncoder().Convert(reason, destination.Slice(2, MaxReasonBytes), flush: true, out _, out int written, out _);
        return 2 + written;
    }

    /// <summary>
    /// True for the codes a close frame may carry: 1000–1003, 1007–1014 (those the IANA registry assigns) and
    /// 3000–4999 (libraries and applications). 1004, 1005, 1006 and 1015 are reserved for local use only.
    /// </summary>
    public static bool IsSendable(int code) => code is (>= 1000 and <= 1003) or (>= 1007 and <= 1014) or (>= 3000 and <= 4999);
}
