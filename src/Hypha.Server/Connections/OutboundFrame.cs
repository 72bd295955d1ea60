using System.Net.WebSockets;

namespace Hypha.Server.Connections;

/// <summary>One WebSocket message waiting to be sent: its bytes and whether it is text or binary.</summary>
/// <param name="Bytes">The whole message. The queue holds a reference: the bytes must not change once queued.</param>
/// <param name="Type">Text for JSON control messages, binary for msgpack frames.</param>
internal readonly record struct OutboundFrame(ReadOnlyMemory<byte> Bytes, WebSocketMessageType Type)
{
    /// <summary>A binary msgpack frame.</summary>
    public static OutboundFrame Binary(ReadOnlyMemory<byte> bytes) => new(bytes, WebSocketMessageType.Binary);

    /// <summary>A JSON text frame.</summary>
    public static OutboundFrame Text(ReadOnlyMemory<byte> bytes) => new(bytes, WebSocketMessageType.Text);
}
