using System.Threading.Channels;

namespace Hypha.Server.Connections;

/// <summary>
/// A connection's send queue: a <see cref="Channel{T}"/> carries the frames to the one send loop, and a
/// <see cref="SendBudget"/> bounds what waits in it, in frames and in bytes. Writers wait for room up to a deadline,
/// then get <see cref="EnqueueResult.Full"/>.
/// </summary>
internal sealed class OutboundQueue
{
    private readonly Channel<OutboundFrame> _channel =
        Channel.CreateUnbounded<OutboundFrame>(new UnboundedChannelOptions { SingleReader = true });

    private readonly SendBudget _budget;
    private volatile bool _completed;

    /// <summary>Creates an empty queue.</summary>
    public OutboundQueue(int maxFrames, long maxBytes)
    {
        _budget = new SendBudget(maxFrames, maxBytes);
    }

    /// <summary>The number of frames waiting.</summary>
    public int Count => _budget.Frames;

    /// <summary>Queues a frame if there is room now, without waiting.</summary>
    public EnqueueResult TryEnqueue(OutboundFrame frame) => Admit(frame, _budget.TryReserve(frame.Bytes.Length));

    /// <summary>Queues a frame, waiting up to <paramref name="timeout"/> for room.</summary>
    public async ValueTask<EnqueueResult> EnqueueAsync(OutboundFrame frame, TimeSpan timeout) =>
        Admit(frame, await _budget.ReserveAsync(frame.Bytes.Length, timeout).ConfigureAwait(false));

    /// <summary>
    /// Waits until a frame is ready (true) or the queue is completed and empty (false). For the single send loop,
    /// which then takes every ready frame with <see cref="TryRead"/>.
    /// </summary>
    public ValueTask<bool> WaitToReadAsync() => _channel.Reader.WaitToReadAsync();

    /// <summary>
    /// Takes the next frame in order, if one is ready. Once the queue is completed, the frames still queued are
    /// skipped.
    /// </summary>
    public bool TryRead(out OutboundFrame frame)
    {
        while (_channel.Reader.TryRead(out frame))
        {
            _budget.Release(frame.Bytes.Length);
            if (!_completed)
            {
                return true;
            }

            frame.ReturnRented();
        }

        return false;
    }

    /// <summary>
    /// Refuses further frames and drops those still queued: a closing connection should not first drain megabytes to
    /// a client that may not be reading, or that is leaving anyway.
    /// </summary>
    public void Complete()
    {
        _completed = true;
        _budget.Close();
        _channel.Writer.TryComplete();
    }

    private EnqueueResult Admit(OutboundFrame frame, EnqueueResult reserved)
    {
        if (reserved == EnqueueResult.Accepted && !_channel.Writer.TryWrite(frame))
        {
            _budget.Release(frame.Bytes.Length);
            return EnqueueResult.Closed;
        }

        return reserved;
    }
}
