using Hypha.Protocol.Native;
using Hypha.Protocol.Schemas;

namespace Hypha.Client.Rpc;

/// <summary>
/// Sends one hypha message for an <see cref="RpcPeer"/>: the connection encodes it as it agreed with its peer (the
/// schema-compiled binary form on a native connection that agreed <c>rpc_method_v4</c>, the hypha frame otherwise).
/// The message and the memory its values refer to are only lent for the call: once the returned task completes, the
/// peer clears the message and reuses it for a later one, and returns its arguments' buffer to the pool. The channel
/// says what the message is for (<see cref="NativeChannel.Stream"/> for a generator's items,
/// <see cref="NativeChannel.Rpc"/> otherwise): a native connection sends it there, a WebSocket has one lane and
/// ignores it.
/// </summary>
public delegate ValueTask MessageSender(RpcMethodV4 message, NativeChannel channel, CancellationToken cancellationToken);
