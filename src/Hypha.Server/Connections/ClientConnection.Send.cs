namespace Hypha.Server.Connections;

internal abstract partial class ClientConnection
{
    /// <summary>
    /// Writes one queued frame, buffered until <see cref="FlushAsync"/> where the transport can hold writes back. Only
    /// the send loop calls it, one frame at a time in queue order, so the transport never sees two writes at once.
    /// The frame's bytes must be copied (or sent) by the time it completes: a rented frame goes back to the pool then.
    /// </summary>
    protected abstract ValueTask WriteFrameAsync(OutboundFrame frame);

    /// <summary>Sends what <see cref="WriteFrameAsync"/> buffered: called once the queue has no frame ready.</summary>
    protected virtual ValueTask FlushAsync() => ValueTask.CompletedTask;

    // The only writer of the transport: frames in queue order, then the close. Everything (control replies included)
    // goes through the queue. Each wake-up writes every frame that is ready and flushes them together, so a burst of
    // frames for this client costs one write to the socket.
    private async Task SendLoopAsync()
    {
        try
        {
            while (await _outbound.WaitToReadAsync().ConfigureAwait(false))
            {
                while (_outbound.TryRead(out OutboundFrame frame))
                {
                    await WriteFrameAsync(frame).ConfigureAwait(false);
                    frame.ReturnRented();
                }

                await FlushAsync().ConfigureAwait(false);
            }

            await SendCloseAsync(Volatile.Read(ref _closeRequest)!).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsTransportFailure(ex))
        {
            // The transport failed or was aborted: the receive loop sees the same and ends the connection.
            Log.SendFailed(Services.Logger, Address, ex.Message);
        }
    }
}
