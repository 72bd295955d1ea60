using System.Net.WebSockets;
using Hypha.Protocol.Native;

namespace Hypha.Server.Connections;

internal sealed partial class WebSocketClientConnection
{
    /// <inheritdoc />
    /// <remarks>Fragments are assembled in a pooled buffer; a message over the frame limit closes the client with 1009.</remarks>
    protected override async Task ReceiveLoopAsync()
    {
        using var buffer = new FrameBuffer(Services.Options.MaxFrameBytes);
        while (true)
        {
            ValueWebSocketReceiveResult result = await _socket.ReceiveAsync(buffer.GetFreeMemory(), CancellationToken.None)
                .ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return;
            }

            buffer.Advance(result.Count);
            if (IsClosing)
            {
                buffer.Reset();
                continue;
            }

            if (buffer.IsOverLimit)
            {
                RequestClose(
                    CloseCodes.MessageTooBig,
                    $"Message too big: over the limit of {Services.Options.MaxFrameBytes} bytes; send large data in chunks");
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

    // A WebSocket has one lane, so every binary frame is routed as if it came on the rpc channel.
    private ValueTask HandleMessageAsync(WebSocketMessageType type, ReadOnlyMemory<byte> message) =>
        type == WebSocketMessageType.Text ? HandleTextAsync(message) : RouteAsync(message, NativeChannel.Rpc);
}
