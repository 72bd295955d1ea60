using System.Buffers;
using Hypha.Protocol.Native;

namespace Hypha.Transport.Multiplexing;

/// <summary>
/// Joins the fragments of one channel's current message, refusing it as soon as it grows past the message limit.
/// The array is allocated as the fragments arrive, never from a length the peer declared.
/// </summary>
internal sealed class MessageAssembler
{
    private readonly NativeChannel _channel;
    private readonly int _maxMessage;
    private byte[] _buffer = [];
    private int _length;

    /// <summary>The bytes of the current message so far.</summary>
    public int Length => _length;

    /// <summary>Credit already given back for the current message while it was still arriving.</summary>
    public long Returned { get; set; }

    public MessageAssembler(NativeChannel channel, int maxMessage)
    {
        _channel = channel;
        _maxMessage = maxMessage;
    }

    /// <summary>Adds a fragment.</summary>
    /// <exception cref="NativeProtocolException">The message would exceed the limit.</exception>
    public void Append(in ReadOnlySequence<byte> fragment)
    {
        if (_length + fragment.Length > _maxMessage)
        {
            throw new NativeProtocolException(
                NativeErrorCode.FrameTooLarge, $"A message on the {_channel} channel grew past the maximum of {_maxMessage} bytes");
        }

        int needed = _length + (int)fragment.Length;
        if (needed > _buffer.Length)
        {
            Array.Resize(ref _buffer, (int)Math.Min(_maxMessage, Math.Max(needed, (long)_buffer.Length * 2)));
        }

        fragment.CopyTo(_buffer.AsSpan(_length));
        _length = needed;
    }

    /// <summary>The whole message, handed over; the assembler starts empty again.</summary>
    public byte[] Take()
    {
        byte[] message = _length == _buffer.Length ? _buffer : _buffer[.._length];
        _buffer = [];
        _length = 0;
        Returned = 0;
        return message;
    }
}
