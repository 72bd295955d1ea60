namespace Hypha.Server.Connections;

internal abstract partial class ClientConnection
{
    /// <summary>
    /// Writes one queued frame. Only the send loop calls it, one frame at a time in queue order, so the transport
    /// never sees two writes at once.
    /// </summary>
    protected abstract ValueTask WriteFrameAsync(OutboundFrame frame);

    // The only writer of the transport: frames in queue order, then the close. Everything (control replies included)
    // goes through the queue.
    private async Task SendLoopAsync()
    {
        try
        {
            await foreach (OutboundFrame frame in _outbound.ReadAllAsync().ConfigureAwait(false))
            {
                await WriteFrameAsync(frame).ConfigureAwait(false);
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
