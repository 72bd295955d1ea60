using Hypha.Protocol.Objects;

namespace Hypha.Client.Rpc;

/// <summary>
/// A function that lives on another peer: a service function, or a callback that peer passed in. Calling it sends
/// a message to its owner and awaits the result. A callback received as an argument lives as long as the call that
/// brought it.
/// </summary>
public sealed class RemoteFunction
{
    private readonly RpcPeer _peer;
    private readonly string? _remoteParent;

    internal RemoteFunction(RpcPeer peer, RemoteMethod descriptor, string? remoteParent)
    {
        _peer = peer;
        Descriptor = descriptor;
        _remoteParent = remoteParent;
    }

    /// <summary>The descriptor the owner sent, with its target made absolute.</summary>
    public RemoteMethod Descriptor { get; }

    /// <summary>The function's name.</summary>
    public string Name => Descriptor.Name ?? Descriptor.Method[(Descriptor.Method.LastIndexOf('.') + 1)..];

    /// <summary>Calls the function with positional arguments.</summary>
    /// <exception cref="RemoteException">The remote function failed, or its peer went away.</exception>
    /// <exception cref="TimeoutException">No result and no heartbeat within the method timeout.</exception>
    public Task<object?> InvokeAsync(params object?[] args) => InvokeAsync(args, null, CancellationToken.None);

    /// <summary>Calls the function and converts its result.</summary>
    /// <remarks>A bytes result received in shared memory becomes an <see cref="System.Buffers.IMemoryOwner{T}"/> with no copy (dispose it).</remarks>
    public Task<T> InvokeAsync<T>(params object?[] args) => InvokeAsync<T>(args, null, CancellationToken.None);

    /// <summary>Calls the function with positional and keyword arguments and converts its result.</summary>
    /// <exception cref="RemoteException">The remote function failed, or its peer went away.</exception>
    /// <exception cref="TimeoutException">No result and no heartbeat within the method timeout.</exception>
    public Task<T> InvokeAsync<T>(IReadOnlyList<object?> args, IReadOnlyDictionary<string, object?>? kwargs, CancellationToken cancellationToken) =>
        _peer.CallAsync<T>(Descriptor, args, kwargs, _remoteParent, cancellationToken);

    /// <summary>Calls the function with positional and keyword arguments. Cancelling stops waiting and frees the call's session.</summary>
    /// <exception cref="RemoteException">The remote function failed, or its peer went away.</exception>
    /// <exception cref="TimeoutException">No result and no heartbeat within the method timeout.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public Task<object?> InvokeAsync(IReadOnlyList<object?> args, IReadOnlyDictionary<string, object?>? kwargs, CancellationToken cancellationToken) =>
        _peer.CallAsync(Descriptor, args, kwargs, _remoteParent, cancellationToken);

    /// <inheritdoc />
    public override string ToString() => $"{Descriptor.Target}:{Descriptor.Method}";
}
