namespace Hypha.Client.Typed;

/// <summary>
/// A typed service registered on a peer: the RPC core resolves a call's function name to its method id with the
/// contract's generated switch, and runs it here on the implementation its activator supplies.
/// </summary>
internal abstract class TypedServiceHost : ITypedInvocable
{
    public abstract HyphaServiceDescriptor Descriptor { get; }

    public int MethodId(ReadOnlySpan<char> wireName) => Descriptor.MethodId(wireName);

    public bool TakesCancellation(int methodId) => Descriptor.Methods[methodId].TakesCancellation;

    public bool TakesContext(int methodId) => Descriptor.Methods[methodId].TakesContext;

    public string? RecordsFingerprint => Descriptor.RecordsFingerprint;

    public abstract ValueTask InvokeAsync(int methodId, TypedRequest request, TypedResponse response, CancellationToken cancellationToken);
}

/// <summary>The host of one contract's implementation.</summary>
internal sealed class TypedServiceHost<TService>(HyphaServiceDescriptor<TService> descriptor, IHyphaServiceActivator<TService> activator)
    : TypedServiceHost
    where TService : class
{
    public override HyphaServiceDescriptor Descriptor => descriptor;

    public override ValueTask InvokeAsync(int methodId, TypedRequest request, TypedResponse response, CancellationToken cancellationToken)
    {
        TService service = activator.Activate(out IAsyncDisposable? scope);
        response.AttachScope(scope);
        return descriptor.InvokeAsync(service, methodId, request, response, cancellationToken);
    }
}
