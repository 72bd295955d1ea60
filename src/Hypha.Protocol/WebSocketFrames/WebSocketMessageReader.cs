using System.Buffers;
using System.Text.Unicode;
using Hypha.Protocol.Buffers;

namespace Hypha.Protocol.WebSocketFrames;

/// <summary>
/// Turns the bytes of one direction of a WebSocket into messages (RFC 6455 §5, §6.2): it checks each header as soon
/// as it is whole, before any of its payload is buffered; unmasks payloads into a pooled buffer as they arrive, so a
/// large frame never has to sit whole in the transport's buffer; joins fragments; passes control frames through
/// between fragments; and checks text and close reasons for UTF-8. One instance per connection and direction, used
/// by one reader at a time.
/// </summary>
/// <remarks>
/// Call <see cref="TryRead"/> with everything received so far until it returns false, then wait for more bytes: it
/// consumes what it used from the front of the buffer, including pieces of a frame that is not complete yet. A
/// message's payload stays valid until the next call.
/// </remarks>
public sealed class WebSocketMessageReader : IDisposable
{
    private readonly int _capacity;
    private readonly bool _expectMasked;
    private int _maxMessageBytes;
    private readonly MessageBuffer _message;
    private readonly byte[] _control = new byte[WebSocketFrameHeader.MaxControlPayload];

    // The frame whose payload is being read, when _inFrame.
    private bool _inFrame;
    private WebSocketFrameHeader _frame;
    private long _frameRead;

    // The data message being assembled (Text or Binary), or Continuation when none is.
    private WebSocketOpcode _messageType = WebSocketOpcode.Continuation;
    private bool _delivered;

    /// <summary>Creates a reader.</summary>
    /// <param name="maxMessageBytes">The largest text or binary message accepted, all its fragments together.</param>
    /// <param name="expectMasked">True on a server, which only takes masked frames; false on a client, which only takes unmasked ones.</param>
    public WebSocketMessageReader(int maxMessageBytes, bool expectMasked)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxMessageBytes);
        _capacity = maxMessageBytes;
        _maxMessageBytes = maxMessageBytes;
        _expectMasked = expectMasked;
        _message = new MessageBuffer(maxMessageBytes);
    }

    /// <summary>
    /// The largest message accepted from now on: the limit given at construction, or lower (a server reading a small
    /// first message, say). Values above the construction limit are cut to it.
    /// </summary>
    public int MaxMessageBytes
    {
        get => _maxMessageBytes;
        set => _maxMessageBytes = Math.Clamp(value, 0, _capacity);
    }

    /// <summary>True while a fragmented message has started and not ended, or a frame has been read only in part.</summary>
    public bool IsMidMessage => _inFrame || _messageType != WebSocketOpcode.Continuation;

    /// <summary>
    /// Reads the next message or control frame from the front of <paramref name="buffer"/>, which is moved past what
    /// was used; false when the buffer ends first (what it held is taken in all the same).
    /// </summary>
    /// <exception cref="WebSocketProtocolException">
    /// The peer broke the framing (1002), sent a text message or close reason that is not UTF-8 (1007), or a message
    /// over the limit (1009). The reader cannot be used further.
    /// </exception>
    public bool TryRead(ref ReadOnlySequence<byte> buffer, out WebSocketMessage message)
    {
        if (_delivered)
        {
            _message.Reset();
            _delivered = false;
        }

        while (true)
        {
            if (!_inFrame && !TryStartFrame(ref buffer))
            {
                message = default;
                return false;
            }

            if (!ReadPayload(ref buffer))
            {
                message = default;
                return false;
            }

            _inFrame = false;
            if (TryComplete(out message))
            {
                return true;
            }
        }
    }

    /// <summary>Returns the buffer to the pool.</summary>
    public void Dispose() => _message.Dispose();

    private bool TryStartFrame(ref ReadOnlySequence<byte> buffer)
    {
        Span<byte> head = stackalloc byte[WebSocketFrameHeader.MaxSize];
        int available = (int)Math.Min(buffer.Length, WebSocketFrameHeader.MaxSize);
        buffer.Slice(0, available).CopyTo(head);
        if (!WebSocketFrameHeader.TryRead(head[..available], out WebSocketFrameHeader header))
        {
            return false;
        }

        Check(header);
        buffer = buffer.Slice(header.Size);
        _frame = header;
        _frameRead = 0;
        _inFrame = true;
        if (header.Opcode is WebSocketOpcode.Text or WebSocketOpcode.Binary)
        {
            _messageType = header.Opcode;
        }

        return true;
    }

    // The rules that depend on what came before: masking by direction, fragments in order, the message limit.
    private void Check(WebSocketFrameHeader header)
    {
        if (header.Masked != _expectMasked)
        {
            throw Violation(_expectMasked ? "An unmasked frame from a client; clients must mask every frame" : "A masked frame from a server");
        }

        switch (header.Opcode)
        {
            case WebSocketOpcode.Continuation when _messageType == WebSocketOpcode.Continuation:
                throw Violation("A continuation frame with no message to continue");
            case WebSocketOpcode.Text or WebSocketOpcode.Binary when _messageType != WebSocketOpcode.Continuation:
                throw Violation($"A new {header.Opcode} message before the fragments of the previous one ended");
        }

        if (!header.IsControl && header.PayloadLength > _maxMessageBytes - _message.Length)
        {
            throw new WebSocketProtocolException(
                WebSocketCloseCodes.MessageTooBig,
                $"Message too big: over the limit of {_maxMessageBytes} bytes; send large data in chunks");
        }
    }

    // Unmasks what has arrived of the current frame's payload; true once all of it is in.
    private bool ReadPayload(ref ReadOnlySequence<byte> buffer)
    {
        while (_frameRead < _frame.PayloadLength)
        {
            if (buffer.IsEmpty)
            {
                return false;
            }

            ReadOnlySpan<byte> piece = buffer.FirstSpan;
            int take = (int)Math.Min(piece.Length, _frame.PayloadLength - _frameRead);
            if (_frame.IsControl)
            {
                Unmask(piece[..take], _control.AsSpan((int)_frameRead, take));
            }
            else
            {
                Memory<byte> free = _message.GetFreeMemory();
                take = Math.Min(take, free.Length);
                Unmask(piece[..take], free.Span);
                _message.Advance(take);
            }

            _frameRead += take;
            buffer = buffer.Slice(take);
        }

        return true;
    }

    private void Unmask(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        if (_frame.Masked)
        {
            WebSocketMask.Apply(source, destination, _frame.MaskKey, _frameRead);
        }
        else
        {
            source.CopyTo(destination);
        }
    }

    // A whole frame is in: a control frame is a message of its own, a data frame completes its message when FIN.
    private bool TryComplete(out WebSocketMessage message)
    {
        if (_frame.IsControl)
        {
            ReadOnlyMemory<byte> payload = _control.AsMemory(0, (int)_frame.PayloadLength);
            if (_frame.Opcode == WebSocketOpcode.Close)
            {
                (int code, string reason) = WebSocketClosePayload.Read(payload.Span);
                message = new WebSocketMessage(WebSocketOpcode.Close, payload, code, reason);
            }
            else
            {
                message = new WebSocketMessage(_frame.Opcode, payload);
            }

            return true;
        }

        if (!_frame.Fin)
        {
            message = default;
            return false;
        }

        WebSocketOpcode type = _messageType;
        _messageType = WebSocketOpcode.Continuation;
        _delivered = true;
        if (type == WebSocketOpcode.Text && !Utf8.IsValid(_message.Written.Span))
        {
            throw new WebSocketProtocolException(WebSocketCloseCodes.InvalidPayload, "A text message that is not valid UTF-8");
        }

        message = new WebSocketMessage(type, _message.Written);
        return true;
    }

    private static WebSocketProtocolException Violation(string message) => new(WebSocketCloseCodes.ProtocolError, message);
}
