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

    /// <summary>A callback that runs <paramref name="target"/> through <paramref name="invoke"/>.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public TypedCallback(object target, TypedInvoker invoke)
    {
        _target = target ?? throw new ArgumentNullException(nameof(target));
        _invoke = invoke ?? throw new ArgumentNullException(nameof(invoke));
    }

    bool ITypedInvocable.TakesCancellation(int methodId) => false;

    // A callback's arguments and result are maps: it belongs to no service whose fingerprint a caller could hold.
    string? ITypedInvocable.RecordsFingerprint => null;

    ValueTask ITypedInvocable.InvokeAsync(int methodId, TypedRequest request, TypedResponse response, CancellationToken cancellationToken) =>
        _invoke(_target, request, response, cancellationToken);
}

/// <summary>What the RPC core dispatches a typed call to: a typed service's method, or a typed callback.</summary>
internal interface ITypedInvocable
{
    /// <summary>True when a running call of <paramref name="methodId"/> may be cancelled by its caller.</summary>
    bool TakesCancellation(int methodId);

    /// <summary>The contract's record fingerprint: a call marked with it has, and gets, records in binary form.</summary>
    string? RecordsFingerprint { get; }

    /// <summary>Reads the arguments, runs the method and writes its result.</summary>
    ValueTask InvokeAsync(int methodId, TypedRequest request, TypedResponse response, CancellationToken cancellationToken);
}
