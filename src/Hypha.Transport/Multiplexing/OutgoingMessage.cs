using Hypha.Protocol.Native;

namespace Hypha.Transport.Multiplexing;

/// <summary>
/// A message queued on one channel: its bytes, how far the writer has got, and the sender waiting for it to be
/// written. The bytes are only read, never kept, once <see cref="Written"/> completes.
/// </summary>
internal sealed class OutgoingMessage
{
    private readonly TaskCompletionSource _written = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public OutgoingMessage(NativeChannel channel, ReadOnlyMemory<byte> payload, long sequence)
    {
        Channel = channel;
        Payload = payload;
        Sequence = sequence;
    }

    public NativeChannel Channel { get; }

    public ReadOnlyMemory<byte> Payload { get; }

    /// <summary>The order the message was queued in, across channels (used when priorities are off).</summary>
    public long Sequence { get; }

    /// <summary>The bytes already written as fragments.</summary>
    public int Offset { get; set; }

    /// <summary>True once the first fragment was written: the channel must finish this message before another.</summary>
    public bool Started => Offset > 0;

    public int Remaining => Payload.Length - Offset;

    public Task Written => _written.Task;

    public void Complete() => _written.TrySetResult();

    public void Fail(Exception error) => _written.TrySetException(error);
}
