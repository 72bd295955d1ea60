using System.Net.WebSockets;
using Hypha.Protocol.Native;

namespace Hypha.Server.Connections;

internal sealed partial class ClientConnection
{
    private int _consecutiveInvalidFrames;

    // Reads whole messages (fragments assembled in a pooled buffer) until the client's close or a socket failure.
    // Once the connection is closing, whatever still arrives is read and dropped so the close handshake can finish.
    private async Task ReceiveLoopAsync()
    {
        using var buffer = new FrameBuffer(_services.Options.MaxFrameBytes);
        try
        {
            while (true)
            {
                ValueWebSocketReceiveResult result = await _socket.ReceiveAsync(buffer.GetFreeMemory(), CancellationToken.None)
                    .ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                buffer.Advance(result.Count);
                if (Volatile.Read(ref _closeRequest) is not null)
                {
                    buffer.Reset();
                    continue;
                }

                if (buffer.IsOverLimit)
                {
                    RequestClose(
                        CloseCodes.MessageTooBig,
                        $"Message too big: over the limit of {_services.Options.MaxFrameBytes} bytes; send large data in chunks");
                    buffer.Reset();
                    continue;
                }

                if (result.EndOfMessage)
                {
                    Touch();
                    await HandleMessageAsync(result.MessageType, buffer.Written).ConfigureAwait(false);
                    buffer.Reset();
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or OperationCanceledException)
        {
            Log.ReceiveEnded(_services.Logger, Address, ex.Message);
        }
        catch (Exception ex)
        {
            // A bug while handling one message: end this connection cleanly rather than leave it half alive.
            Log.HandlerFailed(_services.Logger, ex, Address);
            RequestClose(CloseCodes.InternalError, "Internal server error");
        }
    }

    private async ValueTask HandleMessageAsync(WebSocketMessageType type, ReadOnlyMemory<byte> message)
    {
        if (type == WebSocketMessageType.Text)
        {
            await HandleTextAsync(message).ConfigureAwait(false);
            return;
        }

        bool valid = await _services.Router.RouteFromClientAsync(this, message, NativeChannel.Rpc).ConfigureAwait(false);
        _consecutiveInvalidFrames = valid ? 0 : _consecutiveInvalidFrames + 1;
        if (_consecutiveInvalidFrames >= _services.Options.MaxConsecutiveInvalidFrames)
        {
            RequestClose(CloseCodes.UnsupportedData, $"Too many invalid messages: {_consecutiveInvalidFrames} in a row could not be decoded");
        }
    }
}
