using Hypha.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Hypha.Hosting;

/// <summary>
/// The hosted service of <c>AddHyphaServer</c>: connects when the host starts and registers the typed services added to
/// the builder; disconnects when it stops. Inject it to learn the full ids the services got.
/// </summary>
public sealed class HyphaServerHost : IHostedService, IAsyncDisposable
{
    private readonly HostedServerOptions _options;
    private readonly IEnumerable<HostedTypedService> _services;
    private readonly IServiceProvider _provider;
    private readonly IServiceScopeFactory _scopes;
    private readonly List<ServiceRegistration> _registrations = [];
    private HyphaClient? _client;

    /// <summary>Created by the container (<c>AddHyphaServer</c>).</summary>
    public HyphaServerHost(IServiceProvider provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        _provider = provider;
        _options = provider.GetRequiredService<HostedServerOptions>();
        _services = provider.GetServices<HostedTypedService>();
        _scopes = provider.GetRequiredService<IServiceScopeFactory>();
    }

    /// <summary>The connected client, once started.</summary>
    /// <exception cref="InvalidOperationException">The host has not started.</exception>
    public HyphaClient Client => _client ?? throw new InvalidOperationException("The Hypha server host has not started.");

    /// <summary>The registered services (their full ids), once started.</summary>
    public IReadOnlyList<ServiceRegistration> Registrations => _registrations;

    /// <summary>Connects and registers every service.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        HyphaClient client = await HyphaClient.ConnectAsync(_options.Build(_provider), cancellationToken).ConfigureAwait(false);
        try
        {
            foreach (HostedTypedService service in _services)
            {
                _registrations.Add(await service.Register(client, _scopes, cancellationToken).ConfigureAwait(false));
            }
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        _client = client;
    }

    /// <summary>Disconnects (calls in flight get the client's drain time).</summary>
    public async Task StopAsync(CancellationToken cancellationToken) => await DisposeAsync().ConfigureAwait(false);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _client, null) is { } client)
        {
            await client.DisposeAsync().ConfigureAwait(false);
        }
    }
}
