namespace Hypha.Protocol.Native;

/// <summary>The first byte of a control frame's payload (docs/wire-format.md §6).</summary>
public enum ControlType : byte
{
    /// <summary>The client's settings and authentication, its first frame.</summary>
    Hello = 1,

    /// <summary>The server's settings and the hypha <c>connection_info</c>.</summary>
    HelloAck = 2,

    /// <summary>Credit returned on a windowed channel.</summary>
    WindowUpdate = 3,

    /// <summary>A heartbeat that asks for a <see cref="Pong"/>.</summary>
    Ping = 4,

    /// <summary>The answer to a <see cref="Ping"/>, echoing its data.</summary>
    Pong = 5,

    /// <summary>The sender will close once its calls in flight are done.</summary>
    GoAway = 6,

    /// <summary>The last frame before a close for an error.</summary>
    Error = 7,

    /// <summary>Reserved for shared memory; a protocol error until negotiated.</summary>
    ShmRelease = 8,
}
