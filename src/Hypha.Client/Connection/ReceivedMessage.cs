using Hypha.Transport.Multiplexing;
using Hypha.Transport.SharedMemory;

namespace Hypha.Client.Connection;

/// <summary>
/// One message as a connection delivers it to the RPC core: in the binary form of a native connection
/// (<see cref="Binary"/>, read before the handler returns), or as the hypha frame it arrived as, with the payloads it
/// referenced in shared memory.
/// </summary>
/// <param name="Frame">The hypha frame (or a SHM_REF message's head); empty when <see cref="Binary"/> is set.</param>
/// <param name="Binary">The message in the binary form, or null.</param>
/// <param name="Payloads">The payloads a frame referenced in shared memory, or null.</param>
/// <param name="Lent">
/// True when <see cref="Frame"/> is valid only until the handler's task completes (a receive buffer): whatever the
/// message keeps must be copied out of it. False when the frame is the RPC core's to keep.
/// </param>
internal readonly record struct ReceivedMessage(ReadOnlyMemory<byte> Frame, InboundMessage? Binary, IReadOnlyList<SharedMemoryLease>? Payloads, bool Lent = false);
