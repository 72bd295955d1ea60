using Hypha.Protocol.Native;

namespace Hypha.Transport.Multiplexing;

public sealed partial class Multiplexer
{
    private readonly TaskCompletionSource<CloseReason> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _writerStop = new();
    private CloseReason? _closeReason;
    private int _finishing;
    private int _goAwaySent;

    /// <summary>
    /// Tells the peer this side is going away (§6.5): the peer starts no new calls, and this side closes once its
    /// own calls are done (the caller decides when, then disposes). Only the first GoAway is sent.
    /// </summary>
    public void GoAway(NativeErrorCode code, string reason)
    {
        if (Volatile.Read(ref _closeReason) is null && Interlocked.Exchange(ref _goAwaySent, 1) == 0)
        {
            EnqueueControl(ControlMessages.GoAway(code, reason));
        }
    }

    /// <summary>Ends the connection for an error: the peer gets an Error frame when it can still be written.</summary>
    public void Abort(NativeErrorCode code, string reason) => Close(new CloseReason(code, reason, ByPeer: false), sendError: true);

    /// <summary>Closes normally: a GoAway, whatever is queued is still written (within the close timeout), then the close.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_handler is not null && Volatile.Read(ref _closeReason) is null)
        {
            GoAway(NativeErrorCode.None, "Closing");
            await WaitForQueuedAsync().ConfigureAwait(false);
        }

        Close(new CloseReason(NativeErrorCode.None, "Closed by this side", ByPeer: false), sendError: false);
        await Completion.ConfigureAwait(false);
    }

    // Lets the writer drain what is queued (a normal close loses nothing already sent) up to the close timeout.
    private async Task WaitForQueuedAsync()
    {
        long deadline = Environment.TickCount64 + (long)_options.CloseTimeout.TotalMilliseconds;
        while (Environment.TickCount64 < deadline && Volatile.Read(ref _closeReason) is null && HasQueued())
        {
            await Task.Delay(5).ConfigureAwait(false);
        }
    }

    private bool HasQueued()
    {
        lock (_gate)
        {
            return _queues.Any(queue => queue.Count > 0);
        }
    }

    // The first reason wins. The writer gets the last control frames out, bounded by the close timeout; the reader
    // stops at once; both pipe ends are completed; then Completion resolves. The Error is queued in the same lock
    // that sets the reason: a writer that sees the reason set (it reads it without the lock, then takes fragments
    // under it) finds the Error already queued, where queuing it after the lock let a writer between the two see
    // the reason, find nothing to write and stop, and the peer got a close without its reason.
    private void Close(CloseReason reason, bool sendError)
    {
        lock (_gate)
        {
            if (_closeReason is not null)
            {
                return;
            }

            _closeReason = reason;
            if (sendError && reason.Code != NativeErrorCode.None)
            {
                EnqueueControlLocked(ControlMessages.Error(reason.Code, reason.Message));
            }
        }

        _wake.Set();
        _heartbeat?.Dispose();
        _writerStop.CancelAfter(_options.CloseTimeout);
        _transport.Input.CancelPendingRead();
        _ = FinishAsync();
    }

    private async Task FinishAsync()
    {
        if (Interlocked.Exchange(ref _finishing, 1) == 1)
        {
            return;
        }

        // The end is reported once the reader and the writer have stopped, not the application's handler: a handler
        // that never returns must not hide that the connection is gone. Messages not yet delivered are dropped.
        await _writing.ConfigureAwait(false);
        await _transport.Output.CompleteAsync().ConfigureAwait(false);
        await _reading.ConfigureAwait(false);
        await _transport.Input.CompleteAsync().ConfigureAwait(false);
        FailQueued();
        CloseSharedMemory();
        _writerStop.Dispose();
        _completion.TrySetResult(_closeReason!);
    }
}
