using System.Buffers;
using System.IO.Pipelines;
using Hypha.Protocol.WebSocketFrames;

namespace Hypha.Transport.WebSockets;

/// <summary>
/// The receiving direction of a WebSocket over a pipe, for the server's connections and the client alike: each read
/// takes everything that has arrived, and every whole message in it is handled before the next read, so a burst of
/// messages costs one wake-up. Frames are checked and unmasked by a <see cref="WebSocketMessageReader"/>.
/// </summary>
public sealed class WebSocketInput : IDisposable
{
    private readonly PipeReader _pipe;
    private readonly WebSocketMessageReader _reader;

    /// <summary>Creates the input over <paramref name="pipe"/>.</summary>
    /// <param name="pipe">What the peer sends.</param>
    /// <param name="maxMessageBytes">The largest text or binary message accepted.</param>
    /// <param name="expectMasked">True on a server (clients mask every frame), false on a client.</param>
    public WebSocketInput(PipeReader pipe, int maxMessageBytes, bool expectMasked)
    {
        _pipe = pipe;
        _reader = new WebSocketMessageReader(maxMessageBytes, expectMasked);
    }

    /// <summary>The largest message accepted from now on (see <see cref="WebSocketMessageReader.MaxMessageBytes"/>).</summary>
    public int MaxMessageBytes
    {
        get => _reader.MaxMessageBytes;
        set => _reader.MaxMessageBytes = value;
    }

    /// <summary>
    /// Hands every message and control frame to <paramref name="handle"/>, in order, until it returns false. A
    /// message's payload is valid only until <paramref name="handle"/>'s task completes.
    /// </summary>
    /// <returns>True when <paramref name="handle"/> stopped the reading (what follows stays unread); false when the
    /// peer ended the connection or the pending read was cancelled.</returns>
    /// <exception cref="WebSocketProtocolException">The peer broke the framing or the limit; see <see cref="DrainAsync"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired; the input stays usable.</exception>
    public async Task<bool> ReadAsync(Func<WebSocketMessage, ValueTask<bool>> handle, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handle);
        while (true)
        {
            ReadResult result = await _pipe.ReadAsync(cancellationToken).ConfigureAwait(false);
            ReadOnlySequence<byte> buffer = result.Buffer;
            bool more = true;
            try
            {
                while (more && _reader.TryRead(ref buffer, out WebSocketMessage message))
                {
                    more = await handle(message).ConfigureAwait(false);
                }

                if (!more)
                {
                    return true;
                }

                if (result.IsCompleted || result.IsCanceled)
                {
                    return false;
                }
            }
            finally
            {
                // A handler that stopped leaves the rest unexamined, so that the next read sees it at once.
                _pipe.AdvanceTo(buffer.Start, more ? buffer.End : buffer.Start);
            }
        }
    }

    /// <summary>
    /// Reads and discards everything until the peer ends the connection: after a framing error nothing it sends can
    /// be understood, but closing while its bytes are unread would reset the connection and could destroy the close
    /// frame on its way. Whoever calls it bounds the wait (a close deadline that aborts the connection).
    /// </summary>
    public async Task DrainAsync()
    {
        while (true)
        {
            ReadResult result = await _pipe.ReadAsync().ConfigureAwait(false);
            _pipe.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted || result.IsCanceled)
            {
                return;
            }
        }
    }

    /// <summary>Makes a pending <see cref="ReadAsync"/> or <see cref="DrainAsync"/> return as if the connection ended.</summary>
    public void CancelPendingRead() => _pipe.CancelPendingRead();

    /// <summary>Returns the reader's buffer to the pool. Call once nothing reads any more.</summary>
    public void Dispose() => _reader.Dispose();
}
