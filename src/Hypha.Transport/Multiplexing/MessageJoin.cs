using System.Buffers;
using Hypha.Protocol.Native;

namespace Hypha.Transport.Multiplexing;

/// <summary>
/// Joins the fragments of one large message away from the reader.
/// Copying a large message into a new array can hold a thread for tens to hundreds of milliseconds (the first touch of
/// fresh memory costs far more than the copy: about 100 ms for 32 MiB on the reference machine, against 3 ms into
/// memory already used), and on the reader every frame behind the message would wait that long: calls, stream items
/// and control frames alike. Queued on the thread pool once the message's last fragment has arrived; the multiplexer
/// checks the joined message, publishes it (<see cref="Joined"/>) and delivers it.
/// </summary>
internal sealed class MessageJoin : IThreadPoolWorkItem
{
    private readonly Multiplexer _owner;
    private readonly List<(byte[] Buffer, int Length)> _fragments;
    private readonly int _length;
    private byte[]? _joined;

    public MessageJoin(Multiplexer owner, NativeChannel channel, FrameFlags flags, List<(byte[] Buffer, int Length)> fragments, int length)
    {
        _owner = owner;
        Channel = channel;
        Flags = flags;
        _fragments = fragments;
        _length = length;
    }

    /// <summary>The channel the message arrived on.</summary>
    public NativeChannel Channel { get; }

    /// <summary>The message-wide flags it arrived with.</summary>
    public FrameFlags Flags { get; }

    /// <summary>The whole message, or null while it is still being joined.</summary>
    public byte[]? Joined => Volatile.Read(ref _joined);

    /// <summary>Queues the join behind the work already waiting, so that it does not delay what the reader just queued.</summary>
    public void Start() => ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);

    /// <summary>Makes the joined message ready for delivery.</summary>
    public void Publish(byte[] joined) => Volatile.Write(ref _joined, joined);

    void IThreadPoolWorkItem.Execute()
    {
        byte[] joined;
        try
        {
            joined = MessageAssembler.Join(_fragments, _length);
        }
        catch (OutOfMemoryException ex)
        {
            foreach ((byte[] buffer, _) in _fragments)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            _fragments.Clear();
            _owner.JoinFailed(_length, ex);
            return;
        }

        _owner.Joined(this, joined);
    }
}
