namespace Hypha.Server.Connections;

/// <summary>
/// The WebSocket clients written to while one receive's messages are handled, on the receiving thread: their send
/// loops run inline when a frame is queued for them (see <see cref="OutboundQueue"/>) and leave the flush to the end
/// of the burst, so that every target gets one flush, and one socket write, for all the frames the burst produced.
/// A burst is current on a thread only while the receive loop runs synchronously: it is left before any wait.
/// </summary>
internal sealed class SendBurst
{
    [ThreadStatic]
    private static SendBurst? t_current;

    private readonly List<WebSocketTransport> _unflushed = [];

    /// <summary>
    /// Leaves the flush of <paramref name="transport"/> to the burst running on this thread, if there is one; false
    /// when there is none and the caller must flush itself.
    /// </summary>
    public static bool TryDefer(WebSocketTransport transport)
    {
        if (t_current is not { } burst)
        {
            return false;
        }

        if (!burst._unflushed.Contains(transport))
        {
            burst._unflushed.Add(transport);
        }

        return true;
    }

    /// <summary>Makes this burst the current one on this thread, until <see cref="Leave"/>.</summary>
    public void Enter() => t_current = this;

    /// <summary>Ends this burst's time on this thread; the flushes stay owed until <see cref="Flush"/>.</summary>
    public void Leave() => t_current = null;

    /// <summary>
    /// Starts the owed flushes. A target whose flush waits (a client that reads slowly) does not hold up the receive
    /// loop: the wait continues on its own and only that client's next writes wait for it.
    /// </summary>
    public void Flush()
    {
        foreach (WebSocketTransport transport in _unflushed)
        {
            ValueTask flushing = transport.FlushQuietlyAsync();
            if (!flushing.IsCompletedSuccessfully)
            {
                _ = flushing.AsTask();
            }
        }

        _unflushed.Clear();
    }
}
