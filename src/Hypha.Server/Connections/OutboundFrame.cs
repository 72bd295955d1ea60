using System.Net.WebSockets;
using Hypha.Protocol.Native;
using Hypha.Server.Routing;

namespace Hypha.Server.Connections;

/// <summary>
/// One message waiting to be sent: its bytes (or a routed message, which gives its bytes on demand), whether it is
/// text or binary, and the native channel it takes. The queue holds a reference: the bytes must not change once queued.
/// A text frame is a WebSocket control message that a native connection is never sent; a WebSocket has a single lane
/// and ignores the channel.
/// </summary>
internal readonly struct OutboundFrame
{
    private readonly ReadOnlyMemory<byte> _bytes;

    private OutboundFrame(ReadOnlyMemory<byte> bytes, RoutedMessage? routed, WebSocketMessageType type, NativeChannel channel)
    {
        _bytes = bytes;
        Routed = routed;
        Type = type;
        Channel = channel;
    }

    /// <summary>The routed message this frame carries, or null for plain bytes.</summary>
    public RoutedMessage? Routed { get; }

    /// <summary>The whole message as bytes: a routed message's hypha frame, written on first use.</summary>
    public ReadOnlyMemory<byte> Bytes => Routed?.Frame ?? _bytes;

    /// <summary>Text for JSON control messages, binary for hypha messages.</summary>
    public WebSocketMessageType Type { get; }

    /// <summary>The channel a native connection writes the message on.</summary>
    public NativeChannel Channel { get; }

    /// <summary>About how many bytes the frame takes, for send budgets (without writing a routed message's frame).</summary>
    public int Size => Routed?.EstimatedSize ?? _bytes.Length;

    /// <summary>A binary hypha frame, on <paramref name="channel"/> for a native connection.</summary>
    public static OutboundFrame Binary(ReadOnlyMemory<byte> bytes, NativeChannel channel = NativeChannel.Rpc) =>
        new(bytes, null, WebSocketMessageType.Binary, channel);

    /// <summary>A routed message, on <paramref name="channel"/> for a native connection.</summary>
    public static OutboundFrame Message(RoutedMessage message, NativeChannel channel = NativeChannel.Rpc) =>
        new(default, message ?? throw new ArgumentNullException(nameof(message)), WebSocketMessageType.Binary, channel);

    /// <summary>A JSON text frame.</summary>
    public static OutboundFrame Text(ReadOnlyMemory<byte> bytes) => new(bytes, null, WebSocketMessageType.Text, NativeChannel.Control);
}
