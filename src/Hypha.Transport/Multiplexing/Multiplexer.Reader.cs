using System.Buffers;
using System.IO.Pipelines;
using Hypha.Protocol.Native;

namespace Hypha.Transport.Multiplexing;

public sealed partial class Multiplexer
{
    // Whole messages between the reader and the application, one queue per channel. Unbounded as queues, bounded by
    // the windows: a peer can only fill them as far as the credit this side gave.
    private readonly Queue<IncomingMessage>[] _incoming = [new(), new(), new(), new()];
    private readonly Lock _incomingGate = new();
    private readonly WakeSignal _delivery = new();
    private long _arrivals;
    private bool _readerDone;

    // What the peer may still send on each windowed channel before it needs our WindowUpdate.
    private readonly long[] _receiveAllowance = new long[ChannelCount];

    // Credit taken by the application and not yet returned with a WindowUpdate.
    private readonly long[] _unreturnedCredit = new long[ChannelCount];
    private readonly Lock _creditGate = new();
    private MessageAssembler? _streamMessage;
    private MessageAssembler? _bulkMessage;
    private long _lastReceived;

    // The reader never waits for the application, so control frames (WindowUpdate, Ping, GoAway) are acted on
    // however slow the handler is: a busy peer is not mistaken for a dead one, and two peers that send to each
    // other from their handlers cannot deadlock on credit.
    private async Task ReadLoopAsync()
    {
        PipeReader input = _transport.Input;
        try
        {
            while (true)
            {
                ReadResult result = await input.ReadAsync().ConfigureAwait(false);
                ReadOnlySequence<byte> buffer = result.Buffer;
                try
                {
                    if (result.IsCanceled)
                    {
                        return;
                    }

                    while (TryReadFrame(ref buffer, out FrameHeader header, out ReadOnlySequence<byte> payload))
                    {
                        Volatile.Write(ref _lastReceived, Environment.TickCount64);
                        if (!HandleFrame(header, payload))
                        {
                            return;
                        }
                    }

                    if (result.IsCompleted)
                    {
                        PeerEnded(buffer.IsEmpty);
                        return;
                    }
                }
                finally
                {
                    input.AdvanceTo(buffer.Start, buffer.End);
                }
            }
        }
        catch (NativeProtocolException ex)
        {
            Close(new CloseReason(ex.Code, ex.Message, ByPeer: false), sendError: true);
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or ObjectDisposedException or OperationCanceledException)
        {
            Close(new CloseReason(NativeErrorCode.InternalError, $"The connection could not be read: {ex.Message}", ByPeer: true), sendError: false);
        }
        finally
        {
            lock (_incomingGate)
            {
                _readerDone = true;
            }

            _delivery.Set();
        }
    }

    // The header is checked as soon as its 8 bytes are here, before the payload: an oversized length is refused
    // without waiting for (or allocating) what it declares.
    private bool TryReadFrame(ref ReadOnlySequence<byte> buffer, out FrameHeader header, out ReadOnlySequence<byte> payload)
    {
        payload = default;
        header = default;
        if (buffer.Length < FrameHeader.Size)
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[FrameHeader.Size];
        buffer.Slice(0, FrameHeader.Size).CopyTo(bytes);
        header = FrameHeader.Read(bytes, Local.MaxFrame, FrameFlags.None);
        if (buffer.Length < FrameHeader.Size + header.Length)
        {
            return false;
        }

        payload = buffer.Slice(FrameHeader.Size, header.Length);
        buffer = buffer.Slice(FrameHeader.Size + header.Length);
        return true;
    }

    // False once the connection is closing and the loop should stop.
    private bool HandleFrame(FrameHeader header, ReadOnlySequence<byte> payload)
    {
        switch (header.Channel)
        {
            case NativeChannel.Control:
                RequireWholeFrame(header);
                return HandleControl(ControlMessage.Decode(payload.ToArray()));
            case NativeChannel.Rpc:
                RequireWholeFrame(header);
                if (header.Length == 0)
                {
                    throw new NativeProtocolException(NativeErrorCode.ProtocolError, "An empty message on the rpc channel");
                }

                Charge(NativeChannel.Rpc, 1);
                Received(new IncomingMessage(NativeChannel.Rpc, payload.ToArray(), Credit: 1));
                return true;
            default:
                Charge(header.Channel, header.Length);
                MessageAssembler assembler = header.Channel == NativeChannel.Stream
                    ? _streamMessage ??= new MessageAssembler(NativeChannel.Stream, Local.MaxMessage)
                    : _bulkMessage ??= new MessageAssembler(NativeChannel.Bulk, Local.MaxMessage);
                assembler.Append(payload);
                ReturnEarlyCredit(header.Channel, assembler);
                if (header.IsEnd)
                {
                    long credit = assembler.Length - assembler.Returned;
                    Received(new IncomingMessage(header.Channel, assembler.Take(), credit));
                }

                return true;
        }
    }

    // A message of more than half the window could never complete if its credit came back only once it was
    // delivered: its fragments' credit comes back as they arrive, and the message limit bounds its memory instead.
    private void ReturnEarlyCredit(NativeChannel channel, MessageAssembler assembler)
    {
        if (assembler.Length > Local.WindowFor(channel) / 2)
        {
            long pending = assembler.Length - assembler.Returned;
            assembler.Returned = assembler.Length;
            ReturnCredit(channel, pending);
        }
    }

    private static void RequireWholeFrame(FrameHeader header)
    {
        if (!header.IsEnd)
        {
            throw new NativeProtocolException(NativeErrorCode.ProtocolError, $"A fragment without END on the {header.Channel} channel, which is never fragmented");
        }
    }

    private void Charge(NativeChannel channel, long cost)
    {
        long left;
        lock (_creditGate)
        {
            left = _receiveAllowance[(int)channel] -= cost;
        }

        if (left < 0)
        {
            throw new NativeProtocolException(
                NativeErrorCode.FlowControlError, $"The peer sent {-left} more than the window allows on the {channel} channel");
        }
    }

    private void Received(IncomingMessage message)
    {
        lock (_incomingGate)
        {
            _incoming[(int)message.Channel].Enqueue(message with { Arrival = _arrivals++ });
        }

        _delivery.Set();
    }

    // The next message for the application. With priorities on, a waiting call or stream item goes before a bulk
    // message that arrived earlier, so a large transfer does not hold up small calls at the receiver either; with
    // priorities off, arrival order. Messages of one channel always keep their order.
    private bool TryTakeIncoming(out IncomingMessage message)
    {
        lock (_incomingGate)
        {
            Queue<IncomingMessage>? next = null;
            for (int channel = 1; channel < ChannelCount; channel++)
            {
                Queue<IncomingMessage> queue = _incoming[channel];
                if (queue.Count == 0)
                {
                    continue;
                }

                if (_options.Prioritize)
                {
                    next = queue;
                    break;
                }

                if (next is null || queue.Peek().Arrival < next.Peek().Arrival)
                {
                    next = queue;
                }
            }

            message = next is null ? default : next.Dequeue();
            return next is not null;
        }
    }

    // Hands messages to the application one at a time and gives their credit back once each has been taken. Ends
    // once the reader has stopped and everything it read has been delivered, or when a handler fails.
    private async Task DeliverLoopAsync()
    {
        while (true)
        {
            await _delivery.WaitAsync().ConfigureAwait(false);
            while (TryTakeIncoming(out IncomingMessage message))
            {
                if (!await DeliverAsync(message).ConfigureAwait(false))
                {
                    return;
                }
            }

            if (ReaderDoneAndDrained())
            {
                return;
            }
        }
    }

    private bool ReaderDoneAndDrained()
    {
        lock (_incomingGate)
        {
            return _readerDone && _incoming.All(queue => queue.Count == 0);
        }
    }

    // The handler is the application's: a failure there is a bug on this side, and it ends the connection and the
    // deliveries (false). Messages that arrived whole before a close are still delivered: a peer's last words count.
    private async ValueTask<bool> DeliverAsync(IncomingMessage message)
    {
        try
        {
            await _handler!(message.Channel, message.Payload).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Close(new CloseReason(NativeErrorCode.InternalError, $"The message handler failed: {ex.Message}", ByPeer: false), sendError: true);
            return false;
        }

        if (message.Credit > 0)
        {
            ReturnCredit(message.Channel, message.Credit);
        }

        return true;
    }

    private void PeerEnded(bool cleanly)
    {
        CloseReason reason = cleanly
            ? new CloseReason(NativeErrorCode.None, _peerGoAway is { } goAway ? $"The peer closed the connection ({goAway})" : "The peer closed the connection", ByPeer: true)
            : new CloseReason(NativeErrorCode.ProtocolError, "The connection ended in the middle of a frame", ByPeer: true);
        Close(reason, sendError: false);
    }
}
