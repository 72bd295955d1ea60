using Hypha.Protocol.Native;
using Hypha.Protocol.WebSocketFrames;

namespace Hypha.Server.Connections;

internal sealed partial class WebSocketClientConnection
{
    /// <inheritdoc />
    /// <remarks>
    /// Every whole message a receive brought in is routed before the next receive, so the frames it produces for one
    /// target reach that target's queue together and leave in one flush. A framing error or a message over the frame
    /// limit closes the client with the matching code (1002, 1007, 1009); its further bytes are then read and dropped.
    /// </remarks>
    protected override async Task ReceiveLoopAsync()
    {
        try
        {
            await _transport.ReadMessagesAsync(HandleMessageAsync).ConfigureAwait(false);
        }
        catch (WebSocketProtocolException ex)
        {
            RequestClose(ex.CloseCode, ex.Message);
            await _transport.DrainAsync().ConfigureAwait(false);
        }
    }

    // False once the client's close arrived. Once closing, messages are dropped until then.
    // A WebSocket has one lane, so every binary frame is routed as if it came on the rpc channel.
    private async ValueTask<bool> HandleMessageAsync(WebSocketMessage message)
    {
        if (message.Type == WebSocketOpcode.Close)
        {
            return false;
        }

        if (IsClosing)
        {
            return true;
        }

        Touch();
        if (message.Type == WebSocketOpcode.Text)
        {
            await HandleTextAsync(message.Payload).ConfigureAwait(false);
        }
        else
        {
            // The payload lives in the reader's buffer, reused for the next message: the router copies what it keeps.
            await RouteLentAsync(message.Payload, NativeChannel.Rpc).ConfigureAwait(false);
        }

        return true;
    }
}
