using System.ComponentModel;
using Hypha.Client.Rpc;
using Hypha.Protocol.Objects;

namespace Hypha.Client.Typed;

/// <summary>
/// A function a peer handed to typed code (a callback argument): generated code turns it into the contract's
/// delegate, whose every invocation is one <see cref="TypedOutgoingCall"/>. Like any callback, it lives as long as
/// the call that brought it.
/// </summary>
public sealed class TypedRemoteFunction
{
    private readonly RpcPeer _peer;
    private readonly RemoteMethod _function;
    private readonly string? _remoteParent;

    internal TypedRemoteFunction(RpcPeer peer, RemoteMethod function, string? remoteParent)
    {
        _peer = peer;
        _function = function;
        _remoteParent = remoteParent;
    }

    /// <summary>Starts one call of the function.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public TypedOutgoingCall StartCall() => new(_peer, _function, _remoteParent, cancelRemotely: false);

    /// <inheritdoc />
    public override string ToString() => $"{_function.Target}:{_function.Method}";
}
