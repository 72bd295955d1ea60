using System.Buffers;
using System.IO.Pipelines;
using Hypha.Protocol.WebSocketFrames;

namespace Hypha.Server.Connections;

internal sealed partial class WebSocketTransport
{
    private bool _ended;

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
        while (true)
        {
            ReadResult result = await _input.ReadAsync(cancellationToken).ConfigureAwait(false);
            ReadOnlySequence<byte> buffer = result.Buffer;
            bool more = true;
            try
            {
                while (more && _reader.TryRead(ref buffer, out WebSocketMessage message))
                {
                    more = await DispatchAsync(message, handle).ConfigureAwait(false);
                }

                if (!more)
                {
                    return;
                }

                if (result.IsCompleted || result.IsCanceled)
                {
                    _ended = true;
                    return;
                }
            }
            finally
            {
                // A handler that stopped leaves the rest unexamined, so that the next read sees it at once.
                _input.AdvanceTo(buffer.Start, more ? buffer.End : buffer.Start);
            }
        }
    }

    /// <summary>
    /// Reads and discards everything until the peer ends the connection: after a framing error nothing it sends can
    /// be understood, but closing while its bytes are unread would reset the connection and could lose the close
    /// frame on the way to it. The close deadline aborts a peer that never ends.
    /// </summary>
    public async Task DrainAsync()
    {
        while (true)
        {
            ReadResult result = await _input.ReadAsync().ConfigureAwait(false);
            _input.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted || result.IsCanceled)
            {
                _ended = true;
                return;
            }
        }
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
