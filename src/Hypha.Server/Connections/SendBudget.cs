namespace Hypha.Server.Connections;

/// <summary>
/// What a client may have waiting to be sent, bounded both in frames and in bytes, so that a client that stops
/// reading cannot make the server buffer without limit (a count bound alone would allow gigabytes of large frames).
/// Senders reserve room before they hand a frame over, waiting up to a deadline, and the room comes back once the
/// frame is written. One budget serves a WebSocket's single queue and each channel of a native client.
/// </summary>
internal sealed class SendBudget
{
    private readonly Lock _gate = new();
    private readonly int _maxFrames;
    private readonly long _maxBytes;
    private int _frames;
    private long _bytes;
    private bool _closed;
    private TaskCompletionSource? _roomFreed;

    /// <summary>Creates an empty budget.</summary>
    public SendBudget(int maxFrames, long maxBytes)
    {
        _maxFrames = maxFrames;
        _maxBytes = maxBytes;
    }

    /// <summary>The frames reserved and not yet released.</summary>
    public int Frames
    {
        get
        {
            lock (_gate)
            {
                return _frames;
            }
        }
    }

    /// <summary>Reserves room for a frame of <paramref name="size"/> bytes if there is room now, without waiting.</summary>
    public EnqueueResult TryReserve(int size)
    {
        lock (_gate)
        {
            return TryReserveLocked(size);
        }
    }

    /// <summary>Reserves room for a frame of <paramref name="size"/> bytes, waiting up to <paramref name="timeout"/>.</summary>
    public async ValueTask<EnqueueResult> ReserveAsync(int size, TimeSpan timeout)
    {
        long deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        while (true)
        {
            Task roomFreed;
            lock (_gate)
            {
                EnqueueResult result = TryReserveLocked(size);
                if (result != EnqueueResult.Full)
                {
                    return result;
                }

                _roomFreed ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                roomFreed = _roomFreed.Task;
            }

            long remaining = deadline - Environment.TickCount64;
            if (remaining <= 0)
            {
                return EnqueueResult.Full;
            }

            try
            {
                await roomFreed.WaitAsync(TimeSpan.FromMilliseconds(remaining)).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // Look once more: the deadline has passed, so the next round reports Full unless room just appeared.
            }
        }
    }

    /// <summary>Gives back the room of a frame that was written (or dropped).</summary>
    public void Release(int size)
    {
        TaskCompletionSource? roomFreed;
        lock (_gate)
        {
            _frames--;
            _bytes -= size;
            roomFreed = TakeWaitersLocked();
        }

        roomFreed?.TrySetResult();
    }

    /// <summary>Refuses every further reservation; senders still waiting wake up and see Closed.</summary>
    public void Close()
    {
        TaskCompletionSource? roomFreed;
        lock (_gate)
        {
            _closed = true;
            roomFreed = TakeWaitersLocked();
        }

        roomFreed?.TrySetResult();
    }

    // The waiters are woken outside the lock. Release runs once per frame sent, so it takes no lambda (a closure each).
    private TaskCompletionSource? TakeWaitersLocked()
    {
        TaskCompletionSource? roomFreed = _roomFreed;
        _roomFreed = null;
        return roomFreed;
    }

    // A frame always fits an empty budget, however large: otherwise one big frame could never be sent.
    private EnqueueResult TryReserveLocked(int size)
    {
        if (_closed)
        {
            return EnqueueResult.Closed;
        }

        if (_frames > 0 && (_frames >= _maxFrames || _bytes + size > _maxBytes))
        {
            return EnqueueResult.Full;
        }

        _frames++;
        _bytes += size;
        return EnqueueResult.Accepted;
    }
}
