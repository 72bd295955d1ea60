namespace Hypha.Protocol.WebSocketFrames;

/// <summary>The opcodes RFC 6455 defines (§5.2); every other value is reserved and fails the connection.</summary>
public enum WebSocketOpcode : byte
{
    /// <summary>A further fragment of the message in progress.</summary>
    Continuation = 0x0,

    /// <summary>The first frame of a UTF-8 text message.</summary>
    Text = 0x1,

    /// <summary>The first frame of a binary message.</summary>
    Binary = 0x2,

    /// <summary>The close handshake: an optional status code and reason.</summary>
    Close = 0x8,

    /// <summary>A ping, to be answered with a pong that echoes its payload.</summary>
    Ping = 0x9,

    /// <summary>The answer to a ping, or an unsolicited heartbeat.</summary>
    Pong = 0xA,
}
