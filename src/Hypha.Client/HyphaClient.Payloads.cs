using Hypha.Client.Rpc;
using Hypha.Transport.SharedMemory;

namespace Hypha.Client;

public sealed partial class HyphaClient
{
    /// <summary>
    /// A buffer to write a large argument or result in place (up to <paramref name="capacity"/> bytes): in shared memory
    /// when this client's native connection reaches a server on the same host, so that sending it copies nothing;
    /// pooled memory otherwise (hypha mode, another host), sent as any bytes are. See <see cref="PayloadBuffer"/>.
    /// </summary>
    public PayloadBuffer RentPayload(int capacity) =>
        new(_socket is ILargePayloadTransport transport ? transport.RentSharedMemory(capacity) : null, capacity);

    // The RPC core asks the connection of the moment: a reconnection may land on another server, or another host.
    private sealed class CurrentConnection(HyphaClient client) : ILargePayloadTransport
    {
        private ILargePayloadTransport? Transport => client._socket as ILargePayloadTransport;

        public long MaxWholeMessage => Transport?.MaxWholeMessage ?? 0;

        public int SharedMemoryThreshold => Transport?.SharedMemoryThreshold ?? 0;

        public bool TrySendShared(ReadOnlyMemory<byte> head, IReadOnlyList<ReadOnlyMemory<byte>> payloads) =>
            Transport?.TrySendShared(head, payloads) ?? false;

        public SharedMemoryBuffer? RentSharedMemory(int length) => Transport?.RentSharedMemory(length);
    }
}
