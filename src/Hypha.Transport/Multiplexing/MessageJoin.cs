using Hypha.Protocol.Native;

namespace Hypha.Transport.Multiplexing;

/// <summary>
/// Joins the chunks of one large message away from the reader.
/// Copying a large message into a new array can hold a thread for tens to hundreds of milliseconds (the first touch of
/// fresh memory costs far more than the copy: about 100 ms for 32 MiB on the reference machine, against 3 ms into
/// memory already used), and on the reader every frame behind the message would wait that long: calls, stream items
/// and control frames alike. Queued on the thread pool once the message's last fragment has arrived; the multiplexer
/// checks the joined message, publishes it (<see cref="Joined"/>) and delivers it.
/// </summary>
internal sealed class MessageJoin(Multiplexer owner, NativeChannel channel, FrameFlags flags, List<(byte[] Buffer, int Length)> chunks, int length)
    : IThreadPoolWorkItem
{
    private byte[]? _joined;

    /// <summary>The channel the message arrived on.</summary>
    public NativeChannel Channel { get; } = channel;

    /// <summary>The message-wide flags it arrived with.</summary>
    public FrameFlags Flags { get; } = flags;

    /// <summary>The whole message, or null while it is still being joined.</summary>
    public byte[]? Joined => Volatile.Read(ref _joined);

    /// <summary>Queues the join behind the work already waiting, so that it does not delay what the reader just queued.</summary>
    public void Start() => ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);

    /// <summary>Makes the joined message ready for delivery.</summary>
    public void Publish(byte[] joined) => Volatile.Write(ref _joined, joined);

    // The chunks of a message that cannot be held are left to the collector, as the reader's own join leaves them.
    void IThreadPoolWorkItem.Execute()
    {
        byte[] joined;
        try
        {
            joined = MessageAssembler.Join(chunks, length);
        }
        catch (OutOfMemoryException ex)
        {
            owner.JoinFailed(length, ex);
            return;
        }

        owner.Joined(this, joined);
    }
}
