using System.Buffers;
using System.Net.WebSockets;
using Hypha.Protocol.Native;
using Hypha.Server.Routing;

namespace Hypha.Server.Connections;

/// <summary>
/// One message waiting to be sent: its bytes (or a routed message, which gives its bytes on demand), whether it is
/// text or binary, and the native channel it takes. The queue holds a reference: the bytes must not change once queued.
/// A text frame is a WebSocket control message that a native connection is never sent; a WebSocket has a single lane
/// and ignores the channel. A frame whose bytes were rented (one of the <c>Rented</c> frames) belongs to the one queue it was
/// put in: whoever takes it out either copies it and calls <see cref="ReturnRented"/>, or drops it to the collector.
/// </summary>
internal readonly struct OutboundFrame
{
    private readonly ReadOnlyMemory<byte> _bytes;
    private readonly byte[]? _rented;

    private OutboundFrame(ReadOnlyMemory<byte> bytes, RoutedMessage? routed, WebSocketMessageType type, NativeChannel channel, byte[]? rented = null)
    {
        _bytes = bytes;
        Routed = routed;
        Type = type;
        Channel = channel;
        _rented = rented;
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

    /// <summary>
    /// A routed message's frame written for one target: in an array rented from <see cref="ArrayPool{T}.Shared"/>
    /// when <see cref="RoutedMessage.RentFrame"/> gave one, to go back with <see cref="ReturnRented"/> once copied.
    /// </summary>
    public static OutboundFrame Rented(RoutedMessage message, NativeChannel channel)
    {
        ReadOnlyMemory<byte> bytes = message.RentFrame(out byte[]? rented);
        return new(bytes, null, WebSocketMessageType.Binary, channel, rented);
    }

    /// <summary>
    /// A frame already written into <paramref name="rented"/>, an array from <see cref="ArrayPool{T}.Shared"/> that goes
    /// back with <see cref="ReturnRented"/> once copied.
    /// </summary>
    public static OutboundFrame Rented(byte[] rented, int length, NativeChannel channel) =>
        new(rented.AsMemory(0, length), null, WebSocketMessageType.Binary, channel, rented);

    /// <summary>
    /// Gives a rented frame's array back to the pool: once its bytes were copied out, or when it will not be sent.
    /// The frame must not be read afterwards. Nothing for a frame that was not rented.
    /// </summary>
    public void ReturnRented()
    {
        if (_rented is not null)
        {
            ArrayPool<byte>.Shared.Return(_rented);
        }
    }

    /// <summary>A routed message, on <paramref name="channel"/> for a native connection.</summary>
    public static OutboundFrame Message(RoutedMessage message, NativeChannel channel = NativeChannel.Rpc) =>
        new(default, message ?? throw new ArgumentNullException(nameof(message)), WebSocketMessageType.Binary, channel);

    /// <summary>A JSON text frame.</summary>
    public static OutboundFrame Text(ReadOnlyMemory<byte> bytes) => new(bytes, null, WebSocketMessageType.Text, NativeChannel.Control);
}
