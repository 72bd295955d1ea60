using Hypha.Client;
using Hypha.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Hypha with a service collection (docs/typed-services.md, "Dependency injection").</summary>
public static class HyphaServiceCollectionExtensions
{
    /// <summary>
    /// Hosts typed services on a hypha server: a hosted service connects a <see cref="HyphaClient"/> when the host
    /// starts, registers every service added to the returned builder (each call served by an implementation resolved
    /// from a new scope), and disconnects when the host stops.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="options">The connection (server URL, workspace, token...).</param>
    public static HyphaServerBuilder AddHyphaServer(this IServiceCollection services, HyphaClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return services.AddHyphaServer(_ => options);
    }

    /// <summary>As <see cref="AddHyphaServer(IServiceCollection, HyphaClientOptions)"/>, with options built from the container when the host starts.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="options">Builds the connection's options.</param>
    public static HyphaServerBuilder AddHyphaServer(this IServiceCollection services, Func<IServiceProvider, HyphaClientOptions> options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton(new HostedServerOptions(options));
        services.TryAddSingleton<HyphaServerHost>();
        services.AddHostedService(provider => provider.GetRequiredService<HyphaServerHost>());
        return new HyphaServerBuilder(services);
    }

    /// <summary>
    /// Provides a <see cref="HyphaClient"/> that connects on first use (<see cref="HyphaClientConnection"/>), and typed
    /// proxies of remote services (<see cref="HyphaClientBuilder.AddProxy{TService}(string)"/>) that bind on their
    /// first call; the connection closes when the container is disposed.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="options">The connection (server URL, workspace, token...).</param>
    public static HyphaClientBuilder AddHyphaClient(this IServiceCollection services, HyphaClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return services.AddHyphaClient(_ => options);
    }

    /// <summary>As <see cref="AddHyphaClient(IServiceCollection, HyphaClientOptions)"/>, with options built from the container on first use.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="options">Builds the connection's options.</param>
    public static HyphaClientBuilder AddHyphaClient(this IServiceCollection services, Func<IServiceProvider, HyphaClientOptions> options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        services.TryAddSingleton(provider => new HyphaClientConnection(() => options(provider)));
        return new HyphaClientBuilder(services);
    }
}
