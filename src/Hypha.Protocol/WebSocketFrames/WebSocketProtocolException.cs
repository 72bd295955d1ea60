namespace Hypha.Protocol.WebSocketFrames;

/// <summary>
/// A peer broke RFC 6455 framing (reserved bits or opcodes, an unmasked client frame, a fragmented or oversized
/// control frame, a continuation out of place, a text message that is not UTF-8, a bad close payload) or sent a
/// message over the limit. The connection it arrived on fails with <see cref="CloseCode"/>; nothing else is affected.
/// </summary>
public sealed class WebSocketProtocolException : Exception
{
    /// <summary>Creates the exception.</summary>
    public WebSocketProtocolException(int closeCode, string message)
        : base(message)
    {
        CloseCode = closeCode;
    }

    /// <summary>The status code the connection is closed with (<see cref="WebSocketCloseCodes"/>).</summary>
    public int CloseCode { get; }
}
