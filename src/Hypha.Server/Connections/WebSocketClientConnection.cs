using Hypha.Protocol.WebSocketFrames;
using Hypha.Server.Auth;

namespace Hypha.Server.Connections;

/// <summary>
/// A client connected over a WebSocket: whole messages come from the <see cref="WebSocketTransport"/> in bursts
/// (<c>Receive</c>), text messages are JSON control (<c>Text</c>), and a close for a reason is an error frame and a
/// close code (<c>Close</c>). The send loop writes every frame it finds queued and flushes once. A WebSocket has one
/// lane: the native channel of a frame is ignored.
/// </summary>
internal sealed partial class WebSocketClientConnection : ClientConnection
{
    private readonly WebSocketTransport _transport;

    /// <summary>Creates the connection over a transport whose handshake completed; nothing is sent or received until <see cref="ClientConnection.RunAsync"/>.</summary>
    public WebSocketClientConnection(WebSocketTransport transport, AuthenticatedIdentity identity, ConnectionServices services)
        : base(identity, services)
    {
        _transport = transport;
    }

    /// <inheritdoc />
    protected override bool IsTransportOpen => _transport.IsOpen;

    /// <inheritdoc />
    protected override bool IsTransportFailure(Exception exception) =>
        exception is IOException or ObjectDisposedException or OperationCanceledException;

    /// <inheritdoc />
    /// <remarks>Only the send loop calls it, so the frames of a burst go out in queue order, unflushed until the burst ends.</remarks>
    protected override ValueTask WriteFrameAsync(OutboundFrame frame) =>
        _transport.WriteAsync(frame.Type == System.Net.WebSockets.WebSocketMessageType.Text ? WebSocketOpcode.Text : WebSocketOpcode.Binary, frame.Bytes);

    /// <inheritdoc />
    protected override ValueTask FlushAsync() => _transport.FlushAsync();

    /// <inheritdoc />
    protected override void AbortTransport() => _transport.Abort();
}
