namespace Hypha.Protocol.WebSocketFrames;

/// <summary>The RFC 6455 status codes (§7.4.1) that the framing itself produces or has to recognise.</summary>
public static class WebSocketCloseCodes
{
    /// <summary>1000: normal closure.</summary>
    public const int Normal = 1000;

    /// <summary>1002: the peer broke the framing rules.</summary>
    public const int ProtocolError = 1002;

    /// <summary>
    /// 1005: a close frame that carried no status code. Reported to the application, never sent: the answer to such a
    /// close is a close without a code.
    /// </summary>
    public const int NoStatus = 1005;

    /// <summary>1007: a text message, or a close reason, that is not valid UTF-8.</summary>
    public const int InvalidPayload = 1007;

    /// <summary>1009: a message larger than the receiver accepts.</summary>
    public const int MessageTooBig = 1009;
}
