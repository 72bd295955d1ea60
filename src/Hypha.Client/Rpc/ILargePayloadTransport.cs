using Hypha.Transport.SharedMemory;

namespace Hypha.Client.Rpc;

/// <summary>
/// What a connection offers an <see cref="RpcPeer"/> for large messages: how large a message it carries whole (larger
/// ones go in <c>message_cache</c> chunks), and, on a native connection to a peer on the same host, shared memory for
/// large payloads (docs/native-mode.md, "Shared memory"). Without one, the peer chunks as hypha-rpc does.
/// </summary>
public interface ILargePayloadTransport
{
    /// <summary>The largest frame sent whole; larger frames are chunked through the receiver's <c>message_cache</c>.</summary>
    long MaxWholeMessage { get; }

    /// <summary>Binary values larger than this travel by reference in shared memory; 0 when shared memory is not in use.</summary>
    int SharedMemoryThreshold { get; }

    /// <summary>
    /// Sends a frame's head with its large payloads by reference (each placeholder of the head names one, in order).
    /// False when it cannot (no room, over the peer's limit): the caller then sends the whole frame.
    /// </summary>
    bool TrySendShared(ReadOnlyMemory<byte> head, IReadOnlyList<ReadOnlyMemory<byte>> payloads);

    /// <summary>Room for a payload of <paramref name="length"/> bytes in shared memory, or null when there is none.</summary>
    SharedMemoryBuffer? RentSharedMemory(int length);
}
