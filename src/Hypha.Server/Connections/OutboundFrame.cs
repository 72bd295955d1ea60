using System.Net.WebSockets;
using Hypha.Protocol.Native;

namespace Hypha.Server.Connections;

/// <summary>One message waiting to be sent: its bytes, whether it is text or binary, and the native channel it takes.</summary>
/// <param name="Bytes">The whole message. The queue holds a reference: the bytes must not change once queued.</param>
/// <param name="Type">Text for JSON control messages, binary for msgpack frames.</param>
/// <param name="Channel">The channel a native connection writes the frame on. A WebSocket has a single lane and
/// ignores it. Text frames are WebSocket control messages that a native connection is never sent.</param>
internal readonly record struct OutboundFrame(ReadOnlyMemory<byte> Bytes, WebSocketMessageType Type, NativeChannel Channel)
{
    /// <summary>A binary msgpack frame, on <paramref name="channel"/> for a native connection.</summary>
    public static OutboundFrame Binary(ReadOnlyMemory<byte> bytes, NativeChannel channel = NativeChannel.Rpc) =>
        new(bytes, WebSocketMessageType.Binary, channel);

    /// <summary>A JSON text frame.</summary>
    public static OutboundFrame Text(ReadOnlyMemory<byte> bytes) => new(bytes, WebSocketMessageType.Text, NativeChannel.Control);
}
