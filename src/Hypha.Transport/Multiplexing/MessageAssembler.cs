using System.Buffers;
using Hypha.Protocol.Native;

namespace Hypha.Transport.Multiplexing;

/// <summary>
/// Joins the fragments of one channel's current message, refusing it as soon as it grows past the message limit.
/// Fragments are kept as they come, in pooled buffers (no array is grown and copied again and again, which would stall
/// the reader for milliseconds on a large message), and joined once, into an array of the exact size, when the
/// message ends. Memory follows what arrived, never a length the peer declared.
/// </summary>
internal sealed class MessageAssembler
{
    private readonly NativeChannel _channel;
    private readonly int _maxMessage;
    private List<(byte[] Buffer, int Length)> _fragments = [];
    private int _length;
    private bool _started;

    public MessageAssembler(NativeChannel channel, int maxMessage)
    {
        _channel = channel;
        _maxMessage = maxMessage;
    }

    /// <summary>The bytes of the current message so far.</summary>
    public int Length => _length;

    /// <summary>The message-wide flags of the current message, set by its first fragment.</summary>
    public FrameFlags Flags { get; private set; }

    /// <summary>Credit already given back for the current message while it was still arriving.</summary>
    public long Returned { get; set; }

    /// <summary>Adds a fragment with its message-wide <paramref name="flags"/> (END excluded).</summary>
    /// <exception cref="NativeProtocolException">The message would exceed the limit, or its fragments disagree on their flags.</exception>
    public void Append(in ReadOnlySequence<byte> fragment, FrameFlags flags)
    {
        if (!_started)
        {
            Flags = flags;
            _started = true;
        }
        else if (flags != Flags)
        {
            throw new NativeProtocolException(
                NativeErrorCode.ProtocolError, $"A fragment on the {_channel} channel has flags 0x{(byte)flags:x2}, its message 0x{(byte)Flags:x2}");
        }

        if (_length + fragment.Length > _maxMessage)
        {
            throw new NativeProtocolException(
                NativeErrorCode.FrameTooLarge, $"A message on the {_channel} channel grew past the maximum of {_maxMessage} bytes");
        }

        if (!fragment.IsEmpty)
        {
            int length = (int)fragment.Length;
            byte[] buffer = ArrayPool<byte>.Shared.Rent(length);
            fragment.CopyTo(buffer);
            _fragments.Add((buffer, length));
            _length += length;
        }
    }

    /// <summary>The whole message, joined now and handed over; the assembler starts empty again.</summary>
    public byte[] Take()
    {
        byte[] message = Join(_fragments, _length);
        Reset();
        return message;
    }

    /// <summary>
    /// The message's fragments, handed over unjoined with the work of joining them (<see cref="MessageJoin"/>); the
    /// assembler starts empty again.
    /// </summary>
    public MessageJoin Detach(Multiplexer owner)
    {
        var join = new MessageJoin(owner, _channel, Flags, _fragments, _length);
        _fragments = [];
        Reset();
        return join;
    }

    /// <summary>Copies <paramref name="fragments"/> into one array of <paramref name="length"/> bytes and gives their buffers back to the pool.</summary>
    internal static byte[] Join(List<(byte[] Buffer, int Length)> fragments, int length)
    {
        byte[] message = GC.AllocateUninitializedArray<byte>(length);
        int offset = 0;
        foreach ((byte[] buffer, int fragmentLength) in fragments)
        {
            buffer.AsSpan(0, fragmentLength).CopyTo(message.AsSpan(offset));
            offset += fragmentLength;
            ArrayPool<byte>.Shared.Return(buffer);
        }

        fragments.Clear();
        return message;
    }

    private void Reset()
    {
        _length = 0;
        Returned = 0;
        _started = false;
        Flags = FrameFlags.None;
    }
}
