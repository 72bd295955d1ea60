using System.IO.Pipelines;
using Hypha.Protocol.Native;

namespace Hypha.Transport.Multiplexing;

public sealed partial class Multiplexer
{
    // Past this much unflushed output the writer flushes before it takes more, so one batch never holds megabytes.
    private const int FlushThreshold = 256 * 1024;

    // Messages up to this size are copied when queued, so their senders need not wait for the write.
    private const int CopyLimit = 64 * 1024;

    // The most bytes of copied messages one channel may hold before its senders wait for their writes.
    private const int MaxQueuedBytes = 1024 * 1024;

    private readonly Lock _gate = new();
    private readonly Queue<OutgoingMessage>[] _queues = new Queue<OutgoingMessage>[ChannelCount];
    private readonly long[] _sendCredit = new long[ChannelCount];

    // Bytes of copied messages waiting in each channel's queue: past MaxQueuedBytes, senders wait for their write.
    private readonly long[] _queuedCopies = new long[ChannelCount];
    private readonly WakeSignal _wake = new();
    private long _sequence;

    // With priorities off, the message being written: no other message starts until it ends.
    private OutgoingMessage? _fifoCurrent;

    // Copies written and completed, refilled by the next copies queued (under _gate): at 64 calls in flight every
    // call's messages would otherwise be one more object each for the collector. A burst leaves at most this many.
    private readonly Stack<OutgoingMessage> _writtenCopies = new();
    private const int WrittenCopiesKept = 64;

    // A small message is copied and its sender goes on at once, while the channel's backlog of copies is small;
    // otherwise the sender lends its bytes and waits until they are written (the backpressure of a slow peer). A
    // message already in a pooled buffer of ours (`owned`, a compressed one) is not copied again. A copy may be refilled
    // as soon as it is written: of the message returned, the caller reads Written alone, and keeps only an awaited one.
    private OutgoingMessage Enqueue(NativeChannel channel, ReadOnlyMemory<byte> payload, FrameFlags flags, byte[]? owned = null)
    {
        OutgoingMessage message;
        lock (_gate)
        {
            if (_closeReason is { } reason)
            {
                throw new MultiplexerClosedException(reason.Code, $"The connection is closed: {reason.Message}");
            }

            int index = (int)channel;
            if (channel == NativeChannel.Rpc)
            {
                NoteCall();
            }

            if (payload.Length <= CopyLimit && _queuedCopies[index] + payload.Length <= MaxQueuedBytes)
            {
                message = NewCopy(channel, payload.Span, flags, owned);
                _queuedCopies[index] += payload.Length;
            }
            else
            {
                message = owned is null
                    ? OutgoingMessage.Borrowed(channel, payload, flags, _sequence++)
                    : OutgoingMessage.Owned(channel, owned, payload.Length, flags, _sequence++, awaited: true);
            }

            _queues[index].Enqueue(message);
        }

        _wake.Set();
        return message;
    }

    // Under _gate.
    private OutgoingMessage NewCopy(NativeChannel channel, ReadOnlySpan<byte> payload, FrameFlags flags, byte[]? owned)
    {
        byte[] pooled = owned ?? OutgoingMessage.CopyToPooled(payload);
        if (!_writtenCopies.TryPop(out OutgoingMessage? written))
        {
            return OutgoingMessage.Owned(channel, pooled, payload.Length, flags, _sequence++, awaited: false);
        }

        written.Refill(channel, pooled, payload.Length, flags, _sequence++);
        return written;
    }

    // Control frames bypass the closed check: an Error must still go out while the connection closes.
    private void EnqueueControl(ControlMessage control)
    {
        lock (_gate)
        {
            EnqueueControlLocked(control);
        }

        _wake.Set();
    }

    private void EnqueueControlLocked(ControlMessage control) =>
        _queues[0].Enqueue(OutgoingMessage.Control(control.Encode(), _sequence++));

    private async Task WriteLoopAsync()
    {
        PipeWriter output = _transport.Output;
        var written = new List<OutgoingMessage>();
        try
        {
            while (true)
            {
                await _wake.WaitAsync().ConfigureAwait(false);

                // Seen before the pass: a close that comes during it (its Error queued, the writer woken) gets a pass
                // of its own, so the Error is written even while the writer was busy.
                bool closing = Volatile.Read(ref _closeReason) is not null;
                int unflushed = 0;
                while (TryTakeFragment(out OutgoingMessage? message, out int length, out bool last))
                {
                    WriteFrame(output, message, length, last);
                    unflushed += FrameHeader.Size + length;
                    CountSent(FrameHeader.Size + length);
                    if (last)
                    {
                        written.Add(message);
                    }

                    if (unflushed >= FlushThreshold)
                    {
                        await FlushAsync(output, written).ConfigureAwait(false);
                        unflushed = 0;
                    }
                }

                if (unflushed > 0)
                {
                    await FlushAsync(output, written).ConfigureAwait(false);
                }

                // Once closing, the loop above wrote only the last control frames (the Error or GoAway): done.
                if (closing)
                {
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or OperationCanceledException or ObjectDisposedException)
        {
            Close(new CloseReason(NativeErrorCode.InternalError, $"The connection could not be written: {ex.Message}", ByPeer: true), sendError: false);
        }
        finally
        {
            FailQueued();
        }
    }

    private async ValueTask FlushAsync(PipeWriter output, List<OutgoingMessage> written)
    {
        FlushResult result = await output.FlushAsync(_writerStop.Token).ConfigureAwait(false);
        bool anyCopy = false;
        foreach (OutgoingMessage message in written)
        {
            message.Complete();
            anyCopy |= message.IsCopy;
        }

        if (anyCopy)
        {
            KeepForRefill(written);
        }

        written.Clear();
        if (result.IsCompleted)
        {
            Close(new CloseReason(NativeErrorCode.None, "The peer stopped reading", ByPeer: true), sendError: false);
        }
    }

    private void KeepForRefill(List<OutgoingMessage> written)
    {
        lock (_gate)
        {
            foreach (OutgoingMessage message in written)
            {
                if (message.IsCopy && _writtenCopies.Count < WrittenCopiesKept)
                {
                    _writtenCopies.Push(message);
                }
            }
        }
    }

    private static void WriteFrame(PipeWriter output, OutgoingMessage message, int length, bool last)
    {
        FrameHeader.WriteFrame(output, message.Channel, last ? message.Flags | FrameFlags.End : message.Flags, message.Payload.Span.Slice(message.Offset, length));
        message.Offset += length;
    }

    // Picks the next fragment to write and charges its credit. Control always goes first; then, with priorities on,
    // the highest channel that has credit, so a bulk message yields between fragments; with priorities off, the
    // oldest message, written to its end before any other starts.
    private bool TryTakeFragment(out OutgoingMessage message, out int length, out bool last)
    {
        lock (_gate)
        {
            if (_queues[0].TryDequeue(out message!))
            {
                length = message.Payload.Length;
                last = true;
                return true;
            }

            if (_closeReason is not null)
            {
                length = 0;
                last = false;
                return false;
            }

            OutgoingMessage? candidate = _options.Prioritize ? HighestReady(out length) : OldestReady(out length);
            if (candidate is null)
            {
                last = false;
                return false;
            }

            message = candidate;
            int channel = (int)message.Channel;
            _sendCredit[channel] -= message.Channel == NativeChannel.Rpc ? 1 : length;
            last = length == message.Remaining;
            if (last)
            {
                _queues[channel].Dequeue();
                _fifoCurrent = null;
                if (message.IsCopy)
                {
                    _queuedCopies[channel] -= message.Payload.Length;
                }
            }
            else
            {
                _fifoCurrent = message;
            }

            return true;
        }
    }

    private OutgoingMessage? HighestReady(out int length)
    {
        for (int channel = 1; channel < ChannelCount; channel++)
        {
            if (_queues[channel].TryPeek(out OutgoingMessage? head) && CanWrite(head, out length))
            {
                return head;
            }
        }

        length = 0;
        return null;
    }

    private OutgoingMessage? OldestReady(out int length)
    {
        OutgoingMessage? oldest = _fifoCurrent;
        if (oldest is null)
        {
            for (int channel = 1; channel < ChannelCount; channel++)
            {
                if (_queues[channel].TryPeek(out OutgoingMessage? head) && (oldest is null || head.Sequence < oldest.Sequence))
                {
                    oldest = head;
                }
            }
        }

        length = 0;
        return oldest is not null && CanWrite(oldest, out length) ? oldest : null;
    }

    // True when the message's next frame may go now, with its length: an rpc message whole while a message of credit
    // is left; a stream or bulk message a fragment of at most a frame within its allowance, looked at once so that the
    // choice of the message and the length of its fragment agree; an empty one needs no credit, as its one frame
    // carries no bytes.
    private bool CanWrite(OutgoingMessage message, out int length)
    {
        if (message.Channel == NativeChannel.Rpc)
        {
            length = message.Payload.Length;
            return _sendCredit[(int)NativeChannel.Rpc] >= 1;
        }

        long allowance = message.Remaining == 0 ? 0 : Allowance(message);
        length = (int)Math.Min(Math.Min(message.Remaining, Remote.MaxFrame), allowance);
        return message.Remaining == 0 || allowance > 0;
    }

    private void TryWithdraw(OutgoingMessage message, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            Queue<OutgoingMessage> queue = _queues[(int)message.Channel];
            if (message.Offset > 0 || !queue.Contains(message))
            {
                return;
            }

            OutgoingMessage[] others = [.. queue.Where(queued => !ReferenceEquals(queued, message))];
            queue.Clear();
            foreach (OutgoingMessage other in others)
            {
                queue.Enqueue(other);
            }
        }

        message.Fail(new OperationCanceledException("The send was cancelled before it started.", cancellationToken));
    }

    private void FailQueued()
    {
        CloseReason reason = _closeReason ?? new CloseReason(NativeErrorCode.InternalError, "The connection ended", ByPeer: false);
        List<OutgoingMessage> pending = [];
        lock (_gate)
        {
            foreach (Queue<OutgoingMessage> queue in _queues)
            {
                pending.AddRange(queue);
                queue.Clear();
            }
        }

        foreach (OutgoingMessage message in pending)
        {
            message.Fail(new MultiplexerClosedException(reason.Code, $"The connection closed before the message was sent: {reason.Message}"));
        }
    }
}
