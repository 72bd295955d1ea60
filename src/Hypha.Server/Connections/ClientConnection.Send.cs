using System.Net.WebSockets;

namespace Hypha.Server.Connections;

internal sealed partial class ClientConnection
{
    // The only writer of the socket: frames in queue order, then the close. A WebSocket allows one send at a time,
    // so everything (control replies included) goes through the queue.
    private async Task SendLoopAsync()
    {
        try
        {
            await foreach (OutboundFrame frame in _outbound.ReadAllAsync().ConfigureAwait(false))
            {
                await _socket.SendAsync(frame.Bytes, frame.Type, endOfMessage: true, CancellationToken.None).ConfigureAwait(false);
            }

            await SendCloseAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The socket failed or was aborted: the receive loop sees the same and ends the connection.
            Log.SendFailed(_services.Logger, Address, ex.Message);
        }
    }
}
