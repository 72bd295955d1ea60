using Hypha.Protocol.WebSocketFrames;

namespace Hypha.Server.Connections;

/// <summary>The WebSocket close codes the server uses, with the cases the real hypha server uses them for.</summary>
internal static class CloseCodes
{
    /// <summary>1000: normal closure (the client closed first).</summary>
    public const int Normal = 1000;

    /// <summary>1001: going away (server stopping, idle timeout, replaced by a reconnection); never preceded by an error frame.</summary>
    public const int GoingAway = 1001;

    /// <summary>1002: the client broke WebSocket framing (reserved bits or opcodes, an unmasked frame, a bad fragment or close).</summary>
    public const int ProtocolError = WebSocketCloseCodes.ProtocolError;

    /// <summary>1003: undecodable authentication JSON, or too many undecodable binary frames.</summary>
    public const int UnsupportedData = 1003;

    /// <summary>1007: a text message or close reason that is not valid UTF-8.</summary>
    public const int InvalidPayload = WebSocketCloseCodes.InvalidPayload;

    /// <summary>1008: policy (authentication timeout or error, legacy query authentication, a client too slow).</summary>
    public const int PolicyViolation = 1008;

    /// <summary>1009: a message larger than <see cref="HyphaServerOptions.MaxFrameBytes"/>.</summary>
    public const int MessageTooBig = WebSocketCloseCodes.MessageTooBig;

    /// <summary>1011: the server failed: the manager refused a new client, or handling a message threw.</summary>
    public const int InternalError = 1011;

    /// <summary>1013: try again later (the previous connection of a reconnecting client is still closing).</summary>
    public const int TryAgainLater = 1013;
}
