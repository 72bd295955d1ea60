namespace Hypha.Protocol.Native;

/// <summary>The error codes of the Error and GoAway control messages (docs/wire-format.md §6).</summary>
public enum NativeErrorCode
{
    /// <summary>No error: a normal GoAway.</summary>
    None = 0,

    /// <summary>The peer broke the framing rules: bad preface, unknown channel or flag, reserved bits, bad control message.</summary>
    ProtocolError = 1,

    /// <summary>A frame or a message larger than negotiated.</summary>
    FrameTooLarge = 2,

    /// <summary>More was sent on a channel than its window allowed.</summary>
    FlowControlError = 3,

    /// <summary>The peer speaks a major version this side does not.</summary>
    UnsupportedVersion = 4,

    /// <summary>The Hello was refused: bad token, workspace not allowed, client id taken.</summary>
    Refused = 5,

    /// <summary>No frame arrived within the heartbeat deadline.</summary>
    Timeout = 6,

    /// <summary>The side is shutting down.</summary>
    Shutdown = 7,

    /// <summary>A failure inside the side that sends it.</summary>
    InternalError = 8,
}
