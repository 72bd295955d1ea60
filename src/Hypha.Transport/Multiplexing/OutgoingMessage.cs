using System.Buffers;
using Hypha.Protocol.Native;

namespace Hypha.Transport.Multiplexing;

/// <summary>
/// A message queued on one channel: its bytes, how far the writer has got, and how its sender learns it was written.
/// Either the sender waits (<see cref="Written"/>) and the bytes are only read, never kept, until then; or the bytes
/// are a pooled copy the multiplexer owns, and the sender went on at once. A copy, once written, may be refilled with
/// a later copy (<see cref="Refill"/>): nobody else holds it, as its sender only read <see cref="Written"/>, which a
/// copy has complete from the start.
/// </summary>
internal sealed class OutgoingMessage
{
    private readonly TaskCompletionSource? _written;
    private byte[]? _pooled;

    private OutgoingMessage(NativeChannel channel, ReadOnlyMemory<byte> payload, FrameFlags flags, long sequence, byte[]? pooled, bool awaited)
    {
        Channel = channel;
        Flags = flags;
        Payload = payload;
        Sequence = sequence;
        _pooled = pooled;
        _written = awaited ? new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) : null;
    }

    public NativeChannel Channel { get; private set; }

    public ReadOnlyMemory<byte> Payload { get; private set; }

    /// <summary>The message-wide flags written on every fragment (END is added to the last one).</summary>
    public FrameFlags Flags { get; private set; }

    /// <summary>The order the message was queued in, across channels (used when priorities are off).</summary>
    public long Sequence { get; private set; }

    /// <summary>The bytes already written as fragments.</summary>
    public int Offset { get; set; }

    public int Remaining => Payload.Length - Offset;

    /// <summary>True when the bytes are the multiplexer's own copy.</summary>
    public bool IsCopy => _written is null && Channel != NativeChannel.Control;

    /// <summary>Completes once the message is written; already complete for a copied message.</summary>
    public Task Written => _written?.Task ?? Task.CompletedTask;

    /// <summary>A message whose sender waits for it to be written: its bytes are borrowed until then.</summary>
    public static OutgoingMessage Borrowed(NativeChannel channel, ReadOnlyMemory<byte> payload, FrameFlags flags, long sequence) =>
        new(channel, payload, flags, sequence, pooled: null, awaited: true);

    /// <summary>
    /// The bytes in an array rented from <see cref="ArrayPool{T}.Shared"/>: a copy's, queued with <see cref="Owned"/>
    /// or <see cref="Refill"/>, returned once it is written or dropped.
    /// </summary>
    public static byte[] CopyToPooled(ReadOnlySpan<byte> payload)
    {
        byte[] pooled = ArrayPool<byte>.Shared.Rent(payload.Length);
        payload.CopyTo(pooled);
        return pooled;
    }

    /// <summary>
    /// A message already in a buffer rented from <see cref="ArrayPool{T}.Shared"/> (a compressed message), returned once
    /// it is written or dropped; <paramref name="awaited"/> when its sender waits for the write all the same.
    /// </summary>
    public static OutgoingMessage Owned(NativeChannel channel, byte[] pooled, int length, FrameFlags flags, long sequence, bool awaited) =>
        new(channel, pooled.AsMemory(0, length), flags, sequence, pooled, awaited);

    /// <summary>
    /// Makes this copy, written and completed, the next copy queued: as <see cref="Owned"/> with nobody waiting. Only a
    /// copy can be refilled, so that a sender holding an awaited message never sees it change.
    /// </summary>
    public void Refill(NativeChannel channel, byte[] pooled, int length, FrameFlags flags, long sequence)
    {
        if (!IsCopy || _pooled is not null || channel == NativeChannel.Control)
        {
            throw new InvalidOperationException("Only a copy that was written can be refilled, and only with another copy.");
        }

        Channel = channel;
        Payload = pooled.AsMemory(0, length);
        Flags = flags;
        Sequence = sequence;
        Offset = 0;
        _pooled = pooled;
    }

    /// <summary>A control message: its own array, nobody waits.</summary>
    public static OutgoingMessage Control(byte[] payload, long sequence) =>
        new(NativeChannel.Control, payload, FrameFlags.None, sequence, pooled: null, awaited: false);

    public void Complete()
    {
        ReturnBuffer();
        _written?.TrySetResult();
    }

    public void Fail(Exception error)
    {
        ReturnBuffer();
        _written?.TrySetException(error);
    }

    private void ReturnBuffer()
    {
        if (Interlocked.Exchange(ref _pooled, null) is { } buffer)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
