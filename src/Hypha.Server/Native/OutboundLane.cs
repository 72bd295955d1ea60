namespace Hypha.Server.Native;

/// <summary>
/// The frames of one channel handed to a native client's multiplexer and not yet written, bounded in frames and
/// bytes. Each channel has its own lane, so a bulk backlog towards a slow reader never holds up its calls.
/// </summary>
internal sealed class OutboundLane
{
    private readonly Lock _gate = new();
    private readonly int _maxFrames;
    private readonly long _maxBytes;
    private int _frames;
    private long _bytes;
    private TaskCompletionSource? _roomFreed;

    public OutboundLane(int maxFrames, long maxBytes)
    {
        _maxFrames = maxFrames;
        _maxBytes = maxBytes;
    }

    /// <summary>Frames handed over and not yet written.</summary>
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

    /// <summary>
    /// Reserves room for a frame of <paramref name="size"/> bytes, waiting up to <paramref name="timeout"/>. A frame
    /// always fits an empty lane, however large. False when the lane stayed full: the client is not reading.
    /// </summary>
    public async ValueTask<bool> ReserveAsync(int size, TimeSpan timeout)
    {
        long deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        while (true)
        {
            Task roomFreed;
            lock (_gate)
            {
                if (_frames == 0 || (_frames < _maxFrames && _bytes + size <= _maxBytes))
                {
                    _frames++;
                    _bytes += size;
                    return true;
                }

                _roomFreed ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                roomFreed = _roomFreed.Task;
            }

            long remaining = deadline - Environment.TickCount64;
            if (remaining <= 0)
            {
                return false;
            }

            try
            {
                await roomFreed.WaitAsync(TimeSpan.FromMilliseconds(remaining)).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // One more look: the next round reports full unless room just appeared.
            }
        }
    }

    /// <summary>Gives back the room of a frame once it was written (or failed).</summary>
    public void Release(int size)
    {
        TaskCompletionSource? roomFreed;
        lock (_gate)
        {
            _frames--;
            _bytes -= size;
            roomFreed = _roomFreed;
            _roomFreed = null;
        }

        roomFreed?.TrySetResult();
    }
}
