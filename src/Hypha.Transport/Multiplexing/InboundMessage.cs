using Hypha.Protocol.Native;

namespace Hypha.Transport.Multiplexing;

/// <summary>A whole message as the multiplexer hands it to the application.</summary>
/// <param name="Channel">The channel it arrived on: stream, rpc or bulk.</param>
/// <param name="Payload">The message; its bytes belong to the handler.</param>
/// <param name="Format">How the message is encoded.</param>
public readonly record struct InboundMessage(NativeChannel Channel, ReadOnlyMemory<byte> Payload, MessageFormat Format = MessageFormat.MsgPack)
{
    /// <summary>
    /// The payloads a SHM_REF message referenced in shared memory, in order, or null: <see cref="Payload"/> is then the
    /// message's head, with a placeholder for each (docs/wire-format.md §9.3). The handler owns the leases: it opens
    /// them to read the bytes, and disposes each once done, which lets the sender reuse the region.
    /// </summary>
    public IReadOnlyList<SharedMemory.SharedMemoryLease>? Attachments { get; init; }
}
