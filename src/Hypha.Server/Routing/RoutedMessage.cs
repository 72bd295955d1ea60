using System.Buffers;
using Hypha.Protocol.Messages;
using Hypha.Protocol.MsgPack;
using Hypha.Protocol.Schemas;

namespace Hypha.Server.Routing;

/// <summary>
/// A stamped message on its way to one or more targets, in whichever form it arrived: a hypha frame (from a
/// WebSocket, or a native client sending msgpack) or an <see cref="RpcMethodV4"/> (decoded from a native client's
/// binary form, or sent by the manager). Each target takes the form it speaks, converted once and kept: WebSocket
/// targets the frame, native targets that agreed <c>rpc_method_v4</c> the message. Safe to read from several
/// connections at once (a broadcast); it is never changed while routed (a native connection reads message after
/// message into one, <see cref="Reusable"/>, only once the router said nothing holds it). It locks on itself: its own
/// monitor costs nothing until two targets convert it at once, where a Lock field is an allocation per message; the
/// class is internal, so no other code can take that monitor.
/// </summary>
internal sealed class RoutedMessage
{
    // Room for the keys and the string fields of a frame (addresses, method, session ids).
    private const int FrameRoom = 384;

    private RpcMethodV4? _message;
    private ReadOnlyMemory<byte>? _frame;
    private bool _parsed;

    private RoutedMessage(RpcMethodV4? message, ReadOnlyMemory<byte>? frame)
    {
        _message = message;
        _frame = frame;
        _parsed = message is not null;
    }

    /// <summary>A message that arrived as a hypha frame.</summary>
    public static RoutedMessage FromFrame(ReadOnlyMemory<byte> frame) => new(null, frame);

    /// <summary>A message that arrived decoded.</summary>
    public static RoutedMessage FromMessage(RpcMethodV4 message) => new(message ?? throw new ArgumentNullException(nameof(message)), null);

    /// <summary>
    /// An empty message for a reader that decodes message after message into <see cref="Message"/>, routes it, and
    /// calls <see cref="Reset"/> before the next, as long as the router says nothing holds it.
    /// </summary>
    public static RoutedMessage Reusable() => new(new RpcMethodV4(), null);

    /// <summary>Forgets the frame written for the message last routed, before the next is read into <see cref="Message"/>.</summary>
    public void Reset()
    {
        lock (this)
        {
            _frame = null;
        }
    }

    /// <summary>The hypha frame, written from the message on first use.</summary>
    public ReadOnlyMemory<byte> Frame
    {
        get
        {
            lock (this)
            {
                return _frame ??= WriteFrame(_message!);
            }
        }
    }

    // A small frame (most calls and answers) is written into this thread's scratch buffer and copied out at its exact
    // size: a third to half of what a buffer sized from the fields' estimate would allocate, for a copy of a few
    // hundred bytes.
    private const int ScratchLimit = 16 * 1024;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_scratch;

    /// <summary>
    /// The hypha frame for one target that copies it before <paramref name="pooled"/> goes back to
    /// <see cref="ArrayPool{T}.Shared"/>: a small message not yet written is written into an array rented for this
    /// target alone (<paramref name="pooled"/>), so that the most common forward, one call to one WebSocket client,
    /// leaves nothing for the collector. A frame at hand, or a large one, is <see cref="Frame"/>, shared
    /// (<paramref name="pooled"/> null).
    /// </summary>
    public ReadOnlyMemory<byte> RentFrame(out byte[]? pooled)
    {
        lock (this)
        {
            if (_frame is not null || Estimate(_message!) > ScratchLimit)
            {
                pooled = null;
                return Frame;
            }

            ReadOnlySpan<byte> written = WriteScratch(_message!);
            pooled = ArrayPool<byte>.Shared.Rent(written.Length);
            written.CopyTo(pooled);
            ReleaseScratch();
            return pooled.AsMemory(0, written.Length);
        }
    }

    // Written once and forwarded as it is. A large frame goes into a buffer sized for it, without a copy.
    private static ReadOnlyMemory<byte> WriteFrame(RpcMethodV4 message)
    {
        if (Estimate(message) > ScratchLimit)
        {
            return WriteLarge(message);
        }

        byte[] frame = WriteScratch(message).ToArray();
        ReleaseScratch();
        return frame;
    }

    private static int Estimate(RpcMethodV4 message) =>
        FrameRoom + (message.User?.Bytes.Length ?? 0) + (message.Args?.Bytes.Length ?? 0)
        + (message.Data?.Bytes.Length ?? 0) + (message.Promise?.Bytes.Length ?? 0);

    private static ReadOnlyMemory<byte> WriteLarge(RpcMethodV4 message)
    {
        var output = new ArrayBufferWriter<byte>(Estimate(message));
        RpcMessages.WriteFrame(output, message);
        return output.WrittenMemory;
    }

    // The frame in this thread's scratch buffer, valid until the thread writes the next one.
    private static ReadOnlySpan<byte> WriteScratch(RpcMethodV4 message)
    {
        ArrayBufferWriter<byte> scratch = t_scratch ??= new ArrayBufferWriter<byte>(2 * ScratchLimit);
        scratch.ResetWrittenCount();
        RpcMessages.WriteFrame(scratch, message);
        return scratch.WrittenSpan;
    }

    // Long strings the estimate does not count may have grown the scratch buffer: the thread does not keep that much.
    private static void ReleaseScratch()
    {
        if (t_scratch is { Capacity: > 4 * ScratchLimit })
        {
            t_scratch = null;
        }
    }

    /// <summary>
    /// The message, read from the frame on first use; null when the frame is not of <c>rpc_method_v4</c>'s shape
    /// (an event with keys of its own): such a message goes to every target as its frame.
    /// </summary>
    public RpcMethodV4? Message
    {
        get
        {
            lock (this)
            {
                if (!_parsed)
                {
                    _parsed = true;
                    try
                    {
                        _message = RpcMessages.TryRead(_frame!.Value, HyphaFrame.DefaultReaderOptions);
                    }
                    catch (MsgPackException)
                    {
                        _message = null;
                    }
                }

                return _message;
            }
        }
    }

    /// <summary>About how many bytes the message takes on the wire, for send budgets.</summary>
    public int EstimatedSize
    {
        get
        {
            lock (this)
            {
                return _frame?.Length ?? (256 + (_message!.Args?.Bytes.Length ?? 0) + (_message.Data?.Bytes.Length ?? 0));
            }
        }
    }
}
