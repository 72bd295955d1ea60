using Hypha.Protocol.Buffers;
using Hypha.Protocol.Messages;
using Hypha.Protocol.MsgPack;

namespace Hypha.Client.Rpc;

/// <summary>
/// The arguments of a call about to be sent: values of the dynamic path (encoded at send time, their large binaries
/// lifted to shared memory when the connection can), or an <c>args</c> array a typed proxy or dispatcher has already
/// written, whose large binaries it replaced by placeholders as it wrote them (<see cref="Attachments"/>).
/// </summary>
internal readonly struct OutgoingArguments
{
    public OutgoingArguments(MsgPackValue[] values)
    {
        Values = values;
    }

    public OutgoingArguments(ReadOnlyMemory<byte> encoded, IReadOnlyList<ReadOnlyMemory<byte>>? attachments)
    {
        Encoded = encoded;
        Attachments = attachments;
    }

    /// <summary>The dynamic path's values, or null.</summary>
    public MsgPackValue[]? Values { get; }

    /// <summary>An encoded <c>args</c> array (when <see cref="Values"/> is null).</summary>
    public ReadOnlyMemory<byte> Encoded { get; }

    /// <summary>What the placeholders in <see cref="Encoded"/> stand for, in order, or null.</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>>? Attachments { get; }

    /// <summary>
    /// The <c>args</c> array as one msgpack value in a pooled buffer: the values encoded, or the placeholders of an
    /// encoded array spliced back with their bytes; null when <see cref="Encoded"/> is already that. The caller gives
    /// the writer back (<see cref="PooledBufferWriter.GiveBack"/>) once the message is sent.
    /// </summary>
    public PooledBufferWriter? Encode()
    {
        if (Values is { } values)
        {
            PooledBufferWriter buffer = PooledBufferWriter.TakeSpare(256);
            var writer = new MsgPackWriter(buffer);
            writer.WriteArrayHeader(values.Length);
            foreach (MsgPackValue arg in values)
            {
                arg.WriteTo(ref writer);
            }

            writer.Flush();
            return buffer;
        }

        if (Attachments is not { Count: > 0 } attachments)
        {
            return null;
        }

        var spliced = new PooledBufferWriter(Encoded.Length + attachments.Sum(a => a.Length + 5));
        FrameAttachments.Splice(Encoded, attachments, spliced);
        return spliced;
    }
}
