using System.ComponentModel;

namespace Hypha.Client.Typed;

/// <summary>Runs a local delegate for a peer that calls it back: reads its arguments, invokes it, writes its result (generated code).</summary>
public delegate ValueTask TypedInvoker(object target, TypedRequest request, TypedResponse response, CancellationToken cancellationToken);

/// <summary>
/// A local delegate handed to a peer as a callback (generated code creates one per delegate written): the peer's
/// calls of it are dispatched like a typed service's, with the generated <see cref="TypedInvoker"/>.
/// </summary>
public sealed class TypedCallback : ITypedInvocable
{
    private readonly object _target;
    private readonly TypedInvoker _invoke;
    private readonly string? _records;

    /// <summary>
    /// A callback that runs <paramref name="target"/> through <paramref name="invoke"/>; <paramref name="recordsFingerprint"/>
    /// is the record fingerprint of the contract it belongs to (a peer that calls it back with that mark sends, and gets,
    /// records in binary form).
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public TypedCallback(object target, TypedInvoker invoke, string? recordsFingerprint = null)
    {
        _target = target ?? throw new ArgumentNullException(nameof(target));
        _invoke = invoke ?? throw new ArgumentNullException(nameof(invoke));
        _records = recordsFingerprint;
    }

    bool ITypedInvocable.TakesCancellation(int methodId) => false;

    bool ITypedInvocable.TakesContext(int methodId) => false;

    string? ITypedInvocable.RecordsFingerprint => _records;

    ValueTask ITypedInvocable.InvokeAsync(int methodId, TypedRequest request, TypedResponse response, CancellationToken cancellationToken) =>
        _invoke(_target, request, response, cancellationToken);
}

/// <summary>What the RPC core dispatches a typed call to: a typed service's method, or a typed callback.</summary>
internal interface ITypedInvocable
{
    /// <summary>True when a running call of <paramref name="methodId"/> may be cancelled by its caller.</summary>
    bool TakesCancellation(int methodId);

    /// <summary>True when <paramref name="methodId"/> takes the caller's <see cref="Rpc.RpcContext"/>.</summary>
    bool TakesContext(int methodId);

    /// <summary>The contract's record fingerprint: a call marked with it has, and gets, records in binary form.</summary>
    string? RecordsFingerprint { get; }

    /// <summary>Reads the arguments, runs the method and writes its result.</summary>
    ValueTask InvokeAsync(int methodId, TypedRequest request, TypedResponse response, CancellationToken cancellationToken);
}
