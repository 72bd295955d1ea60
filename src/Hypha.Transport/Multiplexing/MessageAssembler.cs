using System.Buffers;
using Hypha.Protocol.Native;

namespace Hypha.Transport.Multiplexing;

/// <summary>
/// Joins the fragments of one channel's current message, refusing it as soon as it grows past the message limit.
/// Fragments are copied as they come into pooled chunks (no array is grown and copied again and again, which would
/// stall the reader for milliseconds on a large message), and joined once, into an array of the exact size, when the
/// message ends. Memory follows what arrived, never a length the peer declared: a new chunk is as large as the
/// fragment that needs it or the message so far, whichever is larger, up to 4 MiB, so what is held is under twice
/// what arrived.
/// </summary>
/// <remarks>
/// Chunks grow with the message so that a large one is held in few arrays: the shared pool keeps 32 arrays of a size
/// per core, so the 512 fragments of a 32 MiB message, each in a pooled array of its own, were mostly new arrays
/// left to the collector; in chunks of up to 4 MiB a message of 256 MiB takes 70 arrays, and the next one
/// finds them in the pool.
/// </remarks>
internal sealed class MessageAssembler
{
    private const int LargestChunk = 4 * 1024 * 1024;

    private readonly NativeChannel _channel;
    private readonly int _maxMessage;
    private List<(byte[] Buffer, int Length)> _chunks = [];
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

        ReadOnlySequence<byte> rest = fragment;
        while (!rest.IsEmpty)
        {
            if (_chunks.Count == 0 || _chunks[^1].Length == _chunks[^1].Buffer.Length)
            {
                int size = Math.Max((int)Math.Min(rest.Length, LargestChunk), Math.Min(_length, LargestChunk));
                _chunks.Add((ArrayPool<byte>.Shared.Rent(size), 0));
            }

            (byte[] chunk, int used) = _chunks[^1];
            int count = (int)Math.Min(rest.Length, chunk.Length - used);
            rest.Slice(0, count).CopyTo(chunk.AsSpan(used));
            _chunks[^1] = (chunk, used + count);
            _length += count;
            rest = rest.Slice(count);
        }
    }

    /// <summary>The whole message, joined now and handed over; the assembler starts empty again.</summary>
    public byte[] Take()
    {
        byte[] message = Join(_chunks, _length);
        Reset();
        return message;
    }

    /// <summary>
    /// The message's chunks, handed over unjoined with the work of joining them (<see cref="MessageJoin"/>); the
    /// assembler starts empty again.
    /// </summary>
    public MessageJoin Detach(Multiplexer owner)
    {
        var join = new MessageJoin(owner, _channel, Flags, _chunks, _length);
        _chunks = [];
        Reset();
        return join;
    }

    /// <summary>Copies <paramref name="chunks"/> into one array of <paramref name="length"/> bytes and gives their buffers back to the pool.</summary>
    internal static byte[] Join(List<(byte[] Buffer, int Length)> chunks, int length)
    {
        byte[] message = GC.AllocateUninitializedArray<byte>(length);
        int offset = 0;
        foreach ((byte[] buffer, int used) in chunks)
        {
            buffer.AsSpan(0, used).CopyTo(message.AsSpan(offset));
            offset += used;
            ArrayPool<byte>.Shared.Return(buffer);
        }

        chunks.Clear();
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
