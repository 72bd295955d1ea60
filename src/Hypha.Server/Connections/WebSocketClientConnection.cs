using System.Net.WebSockets;
using Hypha.Server.Auth;

namespace Hypha.Server.Connections;

/// <summary>
/// A client connected over a WebSocket: whole messages are assembled from fragments (<c>Receive</c>), text messages
/// are JSON control (<c>Text</c>), and a close for a reason is an error frame and a close code (<c>Close</c>).
/// A WebSocket has one lane: the native channel of a frame is ignored.
/// </summary>
internal sealed partial class WebSocketClientConnection : ClientConnection
{
    private readonly WebSocket _socket;

    /// <summary>Creates the connection over a socket whose handshake completed; nothing is sent or received until <see cref="ClientConnection.RunAsync"/>.</summary>
    public WebSocketClientConnection(WebSocket socket, AuthenticatedIdentity identity, ConnectionServices services)
        : base(identity, services)
    {
        _socket = socket;
    }

    /// <inheritdoc />
    protected override bool IsTransportOpen => _socket.State == WebSocketState.Open;

    /// <inheritdoc />
    protected override bool IsTransportFailure(Exception exception) =>
        exception is WebSocketException or ObjectDisposedException or OperationCanceledException;

    /// <inheritdoc />
    /// <remarks>A WebSocket allows one send at a time, which the single send loop guarantees.</remarks>
    protected override ValueTask WriteFrameAsync(OutboundFrame frame) =>
        _socket.SendAsync(frame.Bytes, frame.Type, endOfMessage: true, CancellationToken.None);

    /// <inheritdoc />
    protected override void AbortTransport() => _socket.Abort();
}
