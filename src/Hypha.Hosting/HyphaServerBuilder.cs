using Hypha.Client.Typed;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Hypha.Hosting;

/// <summary>Adds the typed services <c>AddHyphaServer</c> hosts.</summary>
public sealed class HyphaServerBuilder
{
    internal HyphaServerBuilder(IServiceCollection services)
    {
        Services = services;
    }

    /// <summary>The service collection.</summary>
    public IServiceCollection Services { get; }

    /// <summary>
    /// Hosts the contract <typeparamref name="TService"/>, each call served by a <typeparamref name="TImplementation"/>
    /// resolved from a new scope and disposed with it once the call is answered (or once a stream it returned ends).
    /// The implementation is registered scoped unless it already is registered: register it as a singleton first to
    /// have one instance serve every call.
    /// </summary>
    public HyphaServerBuilder AddService<TService, TImplementation>(TypedServiceOptions? options = null)
        where TService : class
        where TImplementation : class, TService
    {
        Services.TryAddScoped<TImplementation>();
        Services.AddSingleton(new HostedTypedService(typeof(TService),
            (client, scopes, cancellationToken) => client.RegisterActivatedServiceAsync(new ScopedActivator<TService, TImplementation>(scopes), options, cancellationToken)));
        return this;
    }

    /// <summary>Hosts the contract <typeparamref name="TService"/> as the container resolves it, per call from a new scope.</summary>
    public HyphaServerBuilder AddService<TService>(TypedServiceOptions? options = null)
        where TService : class
    {
        Services.AddSingleton(new HostedTypedService(typeof(TService),
            (client, scopes, cancellationToken) => client.RegisterActivatedServiceAsync(new ScopedActivator<TService, TService>(scopes), options, cancellationToken)));
        return this;
    }
}
