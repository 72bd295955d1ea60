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
    private readonly string? _records;

    // records: the record fingerprint of the marked call that handed the function over, or null: its calls then carry
    // records in binary form (the function is a typed callback of the same contract).
    internal TypedRemoteFunction(RpcPeer peer, RemoteMethod function, string? remoteParent, string? records = null)
    {
        _peer = peer;
        _function = function;
        _remoteParent = remoteParent;
        _records = records;
    }

    /// <summary>Starts one call of the function.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public TypedOutgoingCall StartCall() => new(_peer, _function, _remoteParent, cancelRemotely: false, _records);

    /// <inheritdoc />
    public override string ToString() => $"{_function.Target}:{_function.Method}";
}
