using Hypha.Server.Auth;
using Hypha.Server.Connections;
using Hypha.Server.Native;
using Hypha.Server.Routing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Hypha.Server;

/// <summary>
/// A running server: Kestrel on one port with the WebSocket endpoint <c>/ws</c>, where unmodified hypha-rpc clients
/// connect, and native-mode connections (recognised by their preface, docs/wire-format.md), optionally also on a
/// Unix socket; and a router that carries frames between all of them and the workspace manager. Start it with
/// <see cref="StartAsync(HyphaServerOptions, Func{IMessageRouter, IManagerPeer}, CancellationToken)"/>; hosting is
/// in <c>Hosting</c> and stopping in <c>Shutdown</c>.
/// </summary>
public sealed partial class HyphaServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stopping;
    private readonly ClientRegistry _registry = new();
    private readonly IdleMonitor _idleMonitor;
    private readonly MessageRouter _router;

    private HyphaServer(
        WebApplication app,
        HyphaServerOptions options,
        CancellationTokenSource stopping,
        WebSocketEndpoint endpoint,
        NativeEndpoint nativeEndpoint,
        Func<IMessageRouter, HyphaServerOptions, IManagerPeer> managerFactory)
    {
        _app = app;
        _stopping = stopping;
        Options = options;
        Tokens = new HyphaTokenService(options.JwtSecret!);
        ILoggerFactory loggers = app.Services.GetRequiredService<ILoggerFactory>();
        var router = new MessageRouter(_registry, loggers.CreateLogger("Hypha.Server.Routing"), stopping.Token);
        _router = router;
        Manager = managerFactory(router, options) ?? throw new InvalidOperationException("The manager factory returned null.");
        router.AttachManager(Manager);
        var services = new ConnectionServices(options, router, Tokens, loggers.CreateLogger("Hypha.Server.Connections"), stopping.Token);
        var authenticator = new Authenticator(Tokens);
        var sessions = new ConnectionSession(services, _registry);
        endpoint.Open(new WebSocketSession(services, authenticator, sessions));
        nativeEndpoint.Open(new NativeSession(services, authenticator, sessions, options.Native));
        _idleMonitor = new IdleMonitor(_registry, options.IdleTimeout);
    }

    /// <summary>Tells whether a client is connected at <paramref name="address"/> (<c>workspace/client</c>), for tests.</summary>
    internal bool IsConnected(string address) => _registry.Find(address) is not null;

    /// <summary>The clients of other workspaces the client at <paramref name="address"/> has called, for tests.</summary>
    internal ICollection<string> ForeignCalleesOf(string address) => _registry.Find(address)?.ForeignCallees.All ?? [];

    /// <summary>True when no routed call waits for its answer, for tests.</summary>
    internal bool HasNoPendingCalls => _router.HasNoPendingCalls;

    /// <summary>
    /// The effective options: the bound port (never 0), the public base URL, the server id and the token secret
    /// resolved.
    /// </summary>
    public HyphaServerOptions Options { get; }

    /// <summary>The URL the server is reachable at on this machine, e.g. <c>http://127.0.0.1:9527</c> (the real port).</summary>
    public string BaseUrl => LocalBaseUrl(Options);

    /// <summary>The native-mode URL on this machine, e.g. <c>tcp://127.0.0.1:9527</c> (the same port as <see cref="BaseUrl"/>).</summary>
    public string NativeUrl => $"tcp{BaseUrl["http".Length..]}";

    /// <summary>The native-mode URL of the Unix socket, e.g. <c>unix:///run/hypha.sock</c>, or null when there is none.</summary>
    public string? UnixUrl => Options.UnixSocketPath is { } path ? $"unix://{Path.GetFullPath(path)}" : null;

    /// <summary>The URL clients are told to use (<c>connection_info.public_base_url</c>).</summary>
    public string PublicBaseUrl => Options.PublicBaseUrl!;

    /// <summary>The WebSocket endpoint, e.g. <c>ws://127.0.0.1:9527/ws</c>.</summary>
    public string WebSocketUrl => $"ws{BaseUrl["http".Length..]}{WebSocketEndpoint.Path}";

    /// <summary>The token service, with the server's secret: it issues access tokens that clients present as <c>token</c>.</summary>
    public HyphaTokenService Tokens { get; }

    /// <summary>The workspace manager the factory built.</summary>
    public IManagerPeer Manager { get; }

    /// <summary>Starts a server.</summary>
    /// <param name="options">The settings.</param>
    /// <param name="managerFactory">Builds the workspace manager from the router it will talk through.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running server, already listening.</returns>
    public static Task<HyphaServer> StartAsync(
        HyphaServerOptions options,
        Func<IMessageRouter, IManagerPeer> managerFactory,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(managerFactory);
        return StartAsync(options, (router, _) => managerFactory(router), cancellationToken);
    }

    /// <summary>
    /// Starts a server whose manager also needs the effective options (bound port, public base URL, server id,
    /// token secret), which are known only once the server listens.
    /// </summary>
    /// <param name="options">The settings.</param>
    /// <param name="managerFactory">Builds the workspace manager from the router and the effective options.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running server, already listening.</returns>
    public static async Task<HyphaServer> StartAsync(
        HyphaServerOptions options,
        Func<IMessageRouter, HyphaServerOptions, IManagerPeer> managerFactory,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(managerFactory);
        options.Validate();
        var stopping = new CancellationTokenSource();
        var endpoint = new WebSocketEndpoint(stopping.Token);
        var nativeEndpoint = new NativeEndpoint(stopping.Token, options.AuthTimeout);
        WebApplication app = BuildApplication(options, endpoint, nativeEndpoint);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            return new HyphaServer(app, Resolve(options, BoundPort(app)), stopping, endpoint, nativeEndpoint, managerFactory);
        }
        catch
        {
            await stopping.CancelAsync().ConfigureAwait(false);
            await app.DisposeAsync().ConfigureAwait(false);
            stopping.Dispose();
            throw;
        }
    }
}
