using Hypha.Protocol.Native;

namespace Hypha.Transport.Multiplexing;

public sealed partial class Multiplexer
{
    // From this size on, a message's fragments are joined off the reader (MessageJoin), and a compressed message that
    // declares it is decompressed off the reader. Below it the work takes the reader well under a millisecond even
    // into fresh memory: less than a thread hop would save.
    internal const int LargeMessageFrom = 1024 * 1024;

    // A stream or bulk message's last fragment has arrived. A large message is queued at once, unjoined, and joined
    // on the thread pool; its channel's later messages wait for it, the other channels do not (with priorities off,
    // every channel waits: arrival order is the promise). A SHM_REF message, whose head is small, is joined here. A
    // compressed one is checked by its join and still decompressed when it is delivered: decompressed early, the
    // messages waiting for the application would hold their original sizes instead of their wire sizes.
    private void ReceivedWhole(NativeChannel channel, MessageAssembler assembler)
    {
        long credit = assembler.Length - assembler.Returned;
        FrameFlags flags = assembler.Flags;
        if (assembler.Length < LargeMessageFrom || (flags & FrameFlags.SharedMemoryRef) != 0)
        {
            Received(WithReferences(new IncomingMessage(channel, assembler.Take(), credit, flags)));
            return;
        }

        MessageJoin join = assembler.Detach(this);
        Received(new IncomingMessage(channel, ReadOnlyMemory<byte>.Empty, credit, flags, Join: join));
        join.Start();
    }

    // A join has finished: a compressed message's declared length is checked (as the reader checks a message it
    // joined itself); then the message, and whatever waited behind it, are delivered unless someone already is.
    internal void Joined(MessageJoin join, byte[] payload)
    {
        try
        {
            InspectCompressed(new IncomingMessage(join.Channel, payload, Credit: 0, join.Flags));
        }
        catch (NativeProtocolException ex)
        {
            StopDelivering(new CloseReason(ex.Code, ex.Message, ByPeer: false));
            return;
        }

        join.Publish(payload);
        lock (_incomingGate)
        {
            if (!ClaimDelivery())
            {
                return;
            }
        }

        DeliverWaiting(onReader: false);
    }

    // Decompressing a message that declares 1 MiB or more holds a thread for milliseconds to hundreds of them (the
    // first touch of its new array alone): the reader hands such a message to the thread pool.
    private static bool IsCostlyToOpen(IncomingMessage message) =>
        (message.Flags & FrameFlags.Compressed) != 0
        && CompressedMessage.TryPeekOriginalLength(message.Payload.Span, out uint declared)
        && declared >= LargeMessageFrom;

    // Opens and delivers a message too costly to open on the reader, then the rest of what waits, holding the
    // delivery role.
    private void DeliverCostly(IncomingMessage message)
    {
        if (TryHandle(message, out ValueTask handled))
        {
            _ = DeliverRestAsync(handled, message);
        }
    }

    // The process could not hold the message: the connection ends, as it would had the reader joined it.
    internal void JoinFailed(int length, OutOfMemoryException error) =>
        StopDelivering(new CloseReason(NativeErrorCode.InternalError, $"A message of {length} bytes could not be held: {error.Message}", ByPeer: false));
}
