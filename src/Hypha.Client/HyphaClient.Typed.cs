using Hypha.Client.Rpc;
using Hypha.Client.Typed;

namespace Hypha.Client;

public sealed partial class HyphaClient
{
    /// <summary>
    /// Registers an implementation of a typed contract (an interface marked <see cref="HyphaServiceAttribute"/>): its
    /// generated dispatcher serves every call, in either mode, to .NET, Python and JavaScript peers alike.
    /// </summary>
    /// <typeparam name="TService">The contract interface.</typeparam>
    /// <exception cref="InvalidOperationException"><typeparamref name="TService"/> has no generated code.</exception>
    public Task<ServiceRegistration> RegisterServiceAsync<TService>(TService implementation, CancellationToken cancellationToken = default)
        where TService : class =>
        RegisterServiceAsync(implementation, new TypedServiceOptions(), cancellationToken);

    /// <summary>Registers an implementation of a typed contract under the id, name and visibility <paramref name="options"/> give.</summary>
    /// <typeparam name="TService">The contract interface.</typeparam>
    /// <exception cref="InvalidOperationException"><typeparamref name="TService"/> has no generated code.</exception>
    public Task<ServiceRegistration> RegisterServiceAsync<TService>(TService implementation, TypedServiceOptions options, CancellationToken cancellationToken = default)
        where TService : class =>
        RegisterActivatedServiceAsync(new SingleInstanceActivator<TService>(implementation ?? throw new ArgumentNullException(nameof(implementation))),
            options, cancellationToken);

    /// <summary>
    /// Registers a typed service whose implementation <paramref name="activator"/> supplies per call (dependency
    /// injection: one instance per call from a scope, disposed once the call is answered).
    /// </summary>
    /// <exception cref="InvalidOperationException"><typeparamref name="TService"/> has no generated code.</exception>
    public Task<ServiceRegistration> RegisterActivatedServiceAsync<TService>(IHyphaServiceActivator<TService> activator, TypedServiceOptions? options = null,
        CancellationToken cancellationToken = default)
        where TService : class =>
        RegisterServiceAsync(TypedServices.Build(activator, options, _peer.Options.BinaryRecords), cancellationToken);

    /// <summary>
    /// Gets a service (any id form <see cref="GetServiceAsync(string, IReadOnlyDictionary{string, object?}?, CancellationToken)"/>
    /// takes) as a proxy of the typed contract <typeparamref name="TService"/>: each method calls the function of its
    /// wire name, whoever provides it (a typed .NET service, a dynamic one, a Python or JavaScript peer).
    /// </summary>
    /// <exception cref="InvalidOperationException"><typeparamref name="TService"/> has no generated code.</exception>
    public async Task<TService> GetServiceAsync<TService>(string serviceId, CancellationToken cancellationToken = default)
        where TService : class
    {
        HyphaServiceDescriptor<TService> descriptor = HyphaServices.Describe<TService>();
        RemoteService service = await GetServiceAsync(serviceId, null, cancellationToken).ConfigureAwait(false);
        return descriptor.CreateProxy(new TypedRemoteService(_peer, service, descriptor));
    }
}
