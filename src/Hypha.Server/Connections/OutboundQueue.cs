using System.Threading.Channels;

namespace Hypha.Server.Connections;

/// <summary>
/// A connection's send queue, bounded both in frames and in bytes so that a client that stops reading cannot make
/// the server buffer without limit. A <see cref="Channel{T}"/> carries the frames to the one send loop; admission is
/// checked here, because a channel can bound only the count and a count bound alone would allow gigabytes of large
/// frames. Writers wait for room up to a deadline, then get <see cref="EnqueueResult.Full"/>.
/// </summary>
internal sealed class OutboundQueue
{
    private readonly Channel<OutboundFrame> _channel =
        Channel.CreateUnbounded<OutboundFrame>(new UnboundedChannelOptions { SingleReader = true });

    private readonly Lock _gate = new();
    private readonly int _maxFrames;
    private readonly long _maxBytes;
    private int _frames;
    private long _bytes;
    private bool _completed;
    private TaskCompletionSource? _roomFreed;

    /// <summary>Creates an empty queue.</summary>
    public OutboundQueue(int maxFrames, long maxBytes)
    {
        _maxFrames = maxFrames;
        _maxBytes = maxBytes;
    }

    /// <summary>The number of frames waiting.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _frames;
            }
        }
    }

    /// <summary>Queues a frame if there is room now, without waiting.</summary>
    public EnqueueResult TryEnqueue(OutboundFrame frame)
    {
        lock (_gate)
        {
            return TryAdmit(frame);
        }
    }

    /// <summary>Queues a frame, waiting up to <paramref name="timeout"/> for room.</summary>
    public async ValueTask<EnqueueResult> EnqueueAsync(OutboundFrame frame, TimeSpan timeout)
    {
        long deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        while (true)
        {
            Task roomFreed;
            lock (_gate)
            {
                EnqueueResult result = TryAdmit(frame);
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

    /// <summary>
    /// The frames in order, for the single send loop. The sequence ends once the queue is completed; frames still
    /// queued then are skipped.
    /// </summary>
    public async IAsyncEnumerable<OutboundFrame> ReadAllAsync()
    {
        await foreach (OutboundFrame frame in _channel.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            bool discard;
            TaskCompletionSource? roomFreed;
            lock (_gate)
            {
                _frames--;
                _bytes -= frame.Bytes.Length;
                discard = _completed;
                roomFreed = _roomFreed;
                _roomFreed = null;
            }

            roomFreed?.TrySetResult();
            if (!discard)
            {
                yield return frame;
            }
        }
    }

    /// <summary>
    /// Refuses further frames and drops those still queued: a closing connection should not first drain megabytes to
    /// a client that may not be reading, or that is leaving anyway.
    /// </summary>
    public void Complete()
    {
        TaskCompletionSource? roomFreed;
        lock (_gate)
        {
            _completed = true;
            roomFreed = _roomFreed;
            _roomFreed = null;
        }

        _channel.Writer.TryComplete();
        roomFreed?.TrySetResult(); // waiting writers wake up and see Closed
    }

    // A frame always fits an empty queue, however large: otherwise one big frame could never be sent.
    private EnqueueResult TryAdmit(OutboundFrame frame)
    {
        if (_completed)
        {
            return EnqueueResult.Closed;
        }

        if (_frames > 0 && (_frames >= _maxFrames || _bytes + frame.Bytes.Length > _maxBytes))
        {
            return EnqueueResult.Full;
        }

        _frames++;
        _bytes += frame.Bytes.Length;
        _channel.Writer.TryWrite(frame);
        return EnqueueResult.Accepted;
    }
}
