using System.Buffers;
using System.IO.Pipelines;
using Hypha.Protocol.Native;

namespace Hypha.Transport.Multiplexing;

public sealed partial class Multiplexer
{
    // Whole messages between the reader and the application, one queue per channel. Unbounded as queues, bounded by
    // the windows: a peer can only fill them as far as the credit this side gave (a message over half the window
    // gets its credit early only while fewer than two messages wait in its channel's queue, so a bulk or stream queue
    // holds at most two messages that large).
    private readonly Queue<IncomingMessage>[] _incoming = [new(), new(), new(), new()];
    private readonly Lock _incomingGate = new();
    private long _arrivals;

    // True while some thread holds the delivery role (the reader, or the task finishing an asynchronous handler);
    // false for good once a handler failed.
    private bool _delivering;
    private bool _deliveryStopped;

    // When the reader started running a handler itself (TickCount64), or 0: the heartbeat does not judge the peer
    // by a silence this side caused.
    private long _readerBusySince;

    // What the peer may still send on each windowed channel before it needs our WindowUpdate.
    private readonly long[] _receiveAllowance = new long[ChannelCount];

    // Credit taken by the application and not yet returned with a WindowUpdate.
    private readonly long[] _unreturnedCredit = new long[ChannelCount];

    // Credit of a large message's fragments held back while two earlier messages of the channel wait for the
    // application; guarded by _incomingGate.
    private readonly long[] _withheldCredit = new long[ChannelCount];
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
                        CountReceived(FrameHeader.Size + header.Length);
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
        header = FrameHeader.Read(bytes, Local.MaxFrame, _negotiatedFlags);
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
                NoteCall();
                Received(WithReferences(RpcMessage(payload, MessageFlags(header))));
                return true;
            default:
                Charge(header.Channel, header.Length);
                MessageAssembler assembler = header.Channel == NativeChannel.Stream
                    ? _streamMessage ??= new MessageAssembler(NativeChannel.Stream, Local.MaxMessage)
                    : _bulkMessage ??= new MessageAssembler(NativeChannel.Bulk, Local.MaxMessage);
                assembler.Append(payload, MessageFlags(header));
                ReturnEarlyCredit(header.Channel, assembler);
                if (header.IsEnd)
                {
                    ReceivedWhole(header.Channel, assembler);
                }

                return true;
        }
    }

    // A plain binary message (every call and answer between .NET peers) goes in a pooled array its handler may give
    // back. Any other gets an array of its own: a compressed one is opened into another array, an SHM_REF one into
    // its head and references, and a msgpack frame is kept whole by the server's router.
    private static IncomingMessage RpcMessage(ReadOnlySequence<byte> payload, FrameFlags flags)
    {
        if ((flags & (FrameFlags.SchemaFormat | FrameFlags.Compressed | FrameFlags.SharedMemoryRef)) != FrameFlags.SchemaFormat)
        {
            return new IncomingMessage(NativeChannel.Rpc, payload.ToArray(), Credit: 1, flags);
        }

        int length = (int)payload.Length;
        byte[] pooled = ArrayPool<byte>.Shared.Rent(length);
        payload.CopyTo(pooled);
        return new IncomingMessage(NativeChannel.Rpc, pooled.AsMemory(0, length), Credit: 1, flags, Pooled: pooled);
    }

    // A message of more than half the window could never complete if its credit came back only once it was
    // delivered: its fragments' credit comes back as they arrive, and the message limit bounds its memory instead.
    // Only while fewer than two earlier messages of the channel wait for the application, though: otherwise a
    // receiver whose application stalls would take message after message (wire-format.md §5). One may wait (or be
    // joined) while the next arrives, so that a transfer keeps flowing; with two waiting, the credit is owed until
    // one of them has been handed over (TryTakeOrRelease gives it back).
    private void ReturnEarlyCredit(NativeChannel channel, MessageAssembler assembler)
    {
        if (assembler.Length > Local.WindowFor(channel) / 2)
        {
            long pending = assembler.Length - assembler.Returned;
            assembler.Returned = assembler.Length;
            lock (_incomingGate)
            {
                if (_incoming[(int)channel].Count > 1)
                {
                    _withheldCredit[(int)channel] += pending;
                    return;
                }
            }

            ReturnCredit(channel, pending);
        }
    }

    private static FrameFlags MessageFlags(FrameHeader header) => header.Flags & ~FrameFlags.End;

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

    // Queues a whole message and, when nobody is delivering, delivers on the reader itself: a handler that
    // completes synchronously (the router forwarding a frame, the RPC core dispatching a call) then costs no thread
    // hop. The first handler that does not complete at once takes the delivery role off the reader, which goes
    // back to reading: control frames are never held up behind the application.
    private void Received(IncomingMessage message)
    {
        if (message.Join is null)
        {
            InspectCompressed(message); // a message being joined is checked by its join
        }

        lock (_incomingGate)
        {
            _incoming[(int)message.Channel].Enqueue(message with { Arrival = _arrivals++ });
            if (!ClaimDelivery())
            {
                return;
            }
        }

        DeliverWaiting(onReader: true);
    }

    // Takes the delivery role unless someone holds it or the deliveries have stopped; called under _incomingGate.
    private bool ClaimDelivery()
    {
        if (_delivering || _deliveryStopped)
        {
            return false;
        }

        _delivering = true;
        return true;
    }

    // Delivers the waiting messages, on this thread while their handlers complete at once; the caller holds the
    // delivery role. On the reader, a message too costly to open there goes to the thread pool with the role.
    private void DeliverWaiting(bool onReader)
    {
        while (TryTakeOrRelease(out IncomingMessage next))
        {
            if (onReader && IsCostlyToOpen(next))
            {
                ThreadPool.UnsafeQueueUserWorkItem(static state => state.Mux.DeliverCostly(state.Message), (Mux: this, Message: next), preferLocal: false);
                return;
            }

            // Only the reader running a handler keeps the heartbeat from judging the peer by its silence.
            ValueTask handled;
            bool started;
            Volatile.Write(ref _readerBusySince, onReader ? Environment.TickCount64 : 0);
            try
            {
                started = TryHandle(next, out handled);
            }
            finally
            {
                Volatile.Write(ref _readerBusySince, 0);
            }

            if (!started)
            {
                return;
            }

            if (!handled.IsCompletedSuccessfully)
            {
                _ = DeliverRestAsync(handled, next);
                return;
            }

            ReturnCredit(next);
        }
    }

    // Holds the delivery role while handlers complete asynchronously, until the queues are empty.
    private async Task DeliverRestAsync(ValueTask handling, IncomingMessage message)
    {
        while (true)
        {
            try
            {
                await handling.ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                HandlerFailed(ex);
                return;
            }

            ReturnCredit(message);
            if (!TryTakeOrRelease(out message) || !TryHandle(message, out handling))
            {
                return;
            }
        }
    }

    // Opens a message and starts its handler. False when the message cannot be opened or the handler threw: the
    // deliveries have then stopped.
    private bool TryHandle(IncomingMessage message, out ValueTask handled)
    {
        handled = default;
        if (!TryOpen(message, out InboundMessage inbound))
        {
            return false;
        }

        try
        {
            handled = _handler!(inbound);
            return true;
        }
        catch (Exception ex)
        {
            HandlerFailed(ex);
            return false;
        }
    }

    // The message as the application sees it: decompressed if it was compressed, with its shared-memory payloads if
    // it referenced some (never both: a SHM_REF message is not compressed), and with the header of a binary message
    // read against its channel's intern table. False when it cannot be opened: the peer broke the protocol, the
    // connection closes and nothing more is delivered.
    private bool TryOpen(IncomingMessage message, out InboundMessage inbound)
    {
        try
        {
            inbound = Inbound(Decompress(message));
            if (inbound.Format == MessageFormat.Schema)
            {
                inbound = OpenSchema(inbound);
            }

            return true;
        }
        catch (NativeProtocolException ex)
        {
            StopDelivering(new CloseReason(ex.Code, ex.Message, ByPeer: false));
            inbound = default;
            return false;
        }
    }

    // The next message for the application, or false (and the delivery role given up) when none is waiting. With
    // priorities on, a waiting call or stream item goes before a bulk message that arrived earlier, so a large
    // transfer does not hold up small calls at the receiver either, and a channel whose next message is still being
    // joined (Multiplexer.LargeMessages.cs) lets the others go first; with priorities off, arrival order. Messages of
    // one channel always keep their order. Messages that arrived whole before a close are still delivered.
    private bool TryTakeOrRelease(out IncomingMessage message)
    {
        long released = 0;
        lock (_incomingGate)
        {
            Queue<IncomingMessage>? next = null;
            for (int channel = 1; channel < ChannelCount && !_deliveryStopped; channel++)
            {
                Queue<IncomingMessage> queue = _incoming[channel];
                if (queue.Count == 0)
                {
                    continue;
                }

                if (_options.Prioritize)
                {
                    if (queue.Peek().IsJoining)
                    {
                        continue;
                    }

                    next = queue;
                    break;
                }

                if (next is null || queue.Peek().Arrival < next.Peek().Arrival)
                {
                    next = queue;
                }
            }

            // In arrival order, a message still being joined holds up everything after it; its join delivers it.
            if (next is null || next.Peek().IsJoining)
            {
                _delivering = false;
                message = default;
                return false;
            }

            message = next.Dequeue().Joined();
            if (next.Count <= 1)
            {
                released = _withheldCredit[(int)message.Channel];
                _withheldCredit[(int)message.Channel] = 0;
            }
        }

        if (released > 0)
        {
            ReturnCredit(message.Channel, released);
        }

        return true;
    }

    // The handler is the application's: a failure there is a bug on this side, and it ends the connection and the
    // deliveries.
    private void HandlerFailed(Exception error) =>
        StopDelivering(new CloseReason(NativeErrorCode.InternalError, $"The message handler failed: {error.Message}", ByPeer: false));

    // Ends the deliveries for good, and the connection with them.
    private void StopDelivering(CloseReason reason)
    {
        lock (_incomingGate)
        {
            _deliveryStopped = true;
        }

        Close(reason, sendError: true);
    }

    private void ReturnCredit(IncomingMessage message)
    {
        if (message.Credit > 0)
        {
            ReturnCredit(message.Channel, message.Credit);
        }
    }

    private void PeerEnded(bool cleanly)
    {
        CloseReason reason = cleanly
            ? new CloseReason(NativeErrorCode.None, _peerGoAway is { } goAway ? $"The peer closed the connection ({goAway})" : "The peer closed the connection", ByPeer: true)
            : new CloseReason(NativeErrorCode.ProtocolError, "The connection ended in the middle of a frame", ByPeer: true);
        Close(reason, sendError: false);
    }
}
