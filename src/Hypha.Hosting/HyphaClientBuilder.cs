using Hypha.Client.Typed;
using Microsoft.Extensions.DependencyInjection;

namespace Hypha.Hosting;

/// <summary>Adds the typed proxies <c>AddHyphaClient</c> provides.</summary>
public sealed class HyphaClientBuilder
{
    internal HyphaClientBuilder(IServiceCollection services)
    {
        Services = services;
    }

    /// <summary>The service collection.</summary>
    public IServiceCollection Services { get; }

    /// <summary>
    /// Makes <typeparamref name="TService"/> injectable: a singleton proxy of the remote service
    /// <paramref name="serviceId"/> (any id form <c>GetServiceAsync</c> takes), which connects and fetches the
    /// service on its first call.
    /// </summary>
    public HyphaClientBuilder AddProxy<TService>(string serviceId)
        where TService : class
    {
        ArgumentException.ThrowIfNullOrEmpty(serviceId);
        Services.AddSingleton(provider =>
        {
            HyphaClientConnection connection = provider.GetRequiredService<HyphaClientConnection>();
            return HyphaServices.CreateProxy<TService>(connection.GetClientAsync, serviceId);
        });
        return this;
    }
}
