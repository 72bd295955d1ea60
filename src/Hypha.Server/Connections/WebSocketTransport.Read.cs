using Hypha.Protocol.WebSocketFrames;
using Hypha.Transport.WebSockets;

namespace Hypha.Server.Connections;

internal sealed partial class WebSocketTransport
{
    private volatile bool _ended;

    /// <summary>The peer's close (its code, or <see cref="WebSocketCloseCodes.NoStatus"/>, and its reason), once it arrived.</summary>
    public (int Code, string Reason)? PeerClose { get; private set; }

    /// <summary>
    /// Reads messages and hands each text, binary and close message to <paramref name="handle"/>, in order, until it
    /// returns false, the peer's close has been handled, or the connection ends. Every whole message a receive
    /// brought in is handled before the next receive. Pings are answered and pongs noted here.
    /// </summary>
    /// <exception cref="WebSocketProtocolException">The peer broke the framing or the limit; see <see cref="DrainAsync"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired; the transport stays usable.</exception>
    public async Task ReadMessagesAsync(Func<WebSocketMessage, ValueTask<bool>> handle, CancellationToken cancellationToken = default)
    {
        if (!await _input.ReadAsync(message => DispatchAsync(message, handle), cancellationToken).ConfigureAwait(false))
        {
            _ended = true;
        }
    }

    /// <summary>
    /// Reads and discards everything until the peer ends the connection (after a framing error; see
    /// <see cref="WebSocketInput.DrainAsync"/>). The close deadline aborts a peer that never ends.
    /// </summary>
    public async Task DrainAsync()
    {
        await _input.DrainAsync().ConfigureAwait(false);
        _ended = true;
    }

    private async ValueTask<bool> DispatchAsync(WebSocketMessage message, Func<WebSocketMessage, ValueTask<bool>> handle)
    {
        switch (message.Type)
        {
            case WebSocketOpcode.Ping:
                await SendControlAsync(WebSocketOpcode.Pong, message.Payload).ConfigureAwait(false);
                return true;
            case WebSocketOpcode.Pong:
                NotePong(message.Payload.Span);
                return true;
            case WebSocketOpcode.Close:
                PeerClose = (message.CloseCode, message.CloseReason ?? string.Empty);
                await handle(message).ConfigureAwait(false);
                return false;
            default:
                return await handle(message).ConfigureAwait(false);
        }
    }
}
