using System.Net.WebSockets;

namespace Hypha.Server.Connections;

internal sealed partial class WebSocketClientConnection
{
    /// <inheritdoc />
    protected override CloseRequest AnswerToPeerClose() =>
        new((int?)_socket.CloseStatus ?? CloseCodes.Normal, _socket.CloseStatusDescription ?? string.Empty, SendErrorFrame: false);

    /// <inheritdoc />
    /// <remarks>The reason goes in <c>{"type":"error","message":...}</c>, then in the close frame, cut to fit.</remarks>
    protected override async Task SendCloseAsync(CloseRequest request)
    {
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
