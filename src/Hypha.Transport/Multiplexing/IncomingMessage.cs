using Hypha.Protocol.Native;

namespace Hypha.Transport.Multiplexing;

/// <summary>A whole message waiting for the application, with the credit to give back once it has been taken.</summary>
/// <param name="Channel">The channel it arrived on.</param>
/// <param name="Payload">The message.</param>
/// <param name="Credit">The window credit it still holds.</param>
/// <param name="Flags">The message-wide flags its frames carried (END excluded).</param>
/// <param name="Arrival">Its place in arrival order across channels (for delivery with priorities off).</param>
/// <param name="References">For a SHM_REF message, its payloads in shared memory (<see cref="Payload"/> is then its head).</param>
/// <param name="Join">For a large message queued before it was joined, the join (<see cref="Payload"/> is then empty until it is taken).</param>
/// <param name="Pooled">The array from the shared pool that <see cref="Payload"/> lies in, or null (see <see cref="InboundMessage.PooledArray"/>).</param>
internal readonly record struct IncomingMessage(
    NativeChannel Channel, ReadOnlyMemory<byte> Payload, long Credit, FrameFlags Flags = FrameFlags.None, long Arrival = 0, SharedMemoryReference[]? References = null,
    MessageJoin? Join = null, byte[]? Pooled = null)
{
    /// <summary>True while the message's fragments are still being joined: it cannot be delivered yet.</summary>
    public bool IsJoining => Join is { Joined: null };

    /// <summary>The message with its joined payload, once <see cref="IsJoining"/> is false.</summary>
    public IncomingMessage Joined() => Join?.Joined is { } payload ? this with { Payload = payload, Join = null } : this;

    /// <summary>The message as the application sees it.</summary>
    public InboundMessage ToInbound() =>
        new(Channel, Payload, (Flags & FrameFlags.SchemaFormat) != 0 ? MessageFormat.Schema : MessageFormat.MsgPack) { PooledArray = Pooled };
}
