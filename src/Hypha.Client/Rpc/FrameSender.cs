using Hypha.Protocol.Native;

namespace Hypha.Client.Rpc;

/// <summary>
/// Sends one whole hypha frame for an <see cref="RpcPeer"/>. The buffer is only lent for the call. The channel says
/// what the frame is for (<see cref="NativeChannel.Stream"/> for a generator's items, <see cref="NativeChannel.Rpc"/>
/// otherwise): a native connection sends it there, a WebSocket has one lane and ignores it.
/// </summary>
public delegate ValueTask FrameSender(ReadOnlyMemory<byte> frame, NativeChannel channel, CancellationToken cancellationToken);
