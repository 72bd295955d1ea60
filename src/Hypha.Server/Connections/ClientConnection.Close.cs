using System.Net.WebSockets;

namespace Hypha.Server.Connections;

internal sealed partial class ClientConnection
{
    // Aborts the socket when a close handshake takes longer than CloseTimeout: a client that stopped reading would
    // otherwise keep a send pending, and the connection open, forever.
    private readonly CancellationTokenSource _closeDeadline;
    private CloseRequest? _closeRequest;

    /// <summary>True until the connection starts closing.</summary>
    public bool IsOpen => Volatile.Read(ref _closeRequest) is null && _socket.State == WebSocketState.Open;

    /// <summary>
    /// Closes the connection for an error: queued frames are dropped, the client gets
    /// <c>{"type":"error","message":reason}</c> and then the close frame. Only the first request counts.
    /// </summary>
    public void RequestClose(int code, string reason) => BeginClose(new CloseRequest(code, reason, SendErrorFrame: true));

    /// <summary>
    /// Closes the connection with 1001 (server stopping, idle, replaced) and no error frame: the client is expected
    /// to reconnect, and some clients treat an error frame as a reason to give up.
    /// </summary>
    public void RequestGoingAway(string reason) => BeginClose(new CloseRequest(CloseCodes.GoingAway, reason, SendErrorFrame: false));

    // The receive loop ended: the client closed (echo its code) or the socket failed (nothing more can be sent).
    private void AnswerClose() =>
        BeginClose(new CloseRequest((int?)_socket.CloseStatus ?? CloseCodes.Normal, _socket.CloseStatusDescription ?? string.Empty, SendErrorFrame: false));

    private void BeginClose(CloseRequest request)
    {
        if (Interlocked.CompareExchange(ref _closeRequest, request, null) is not null)
        {
            return;
        }

        Log.Closing(_services.Logger, Address, request.Code, request.Reason);
        _outbound.Complete();
        try
        {
            _closeDeadline.CancelAfter(_services.Options.CloseTimeout);
        }
        catch (ObjectDisposedException)
        {
            // The connection already ended; there is nothing left to abort.
        }
    }

    // Called by the send loop once the queue is completed and drained: announce the reason, then close.
    private async Task SendCloseAsync()
    {
        CloseRequest request = Volatile.Read(ref _closeRequest)!;
        if (request.SendErrorFrame && _socket.State == WebSocketState.Open)
        {
            await _socket.SendAsync(ServerTextMessages.Error(request.Reason), WebSocketMessageType.Text, true, CancellationToken.None)
                .ConfigureAwait(false);
        }

        if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            await _socket.CloseOutputAsync((WebSocketCloseStatus)request.Code, CloseReasons.Fit(request.Reason), CancellationToken.None)
                .ConfigureAwait(false);
        }
    }
}
