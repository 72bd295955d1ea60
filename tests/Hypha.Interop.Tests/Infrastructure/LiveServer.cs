using System.Security.Cryptography;
using Hypha.Server;

namespace Hypha.Interop.Tests.Infrastructure;

/// <summary>
/// Our hypha server, in-process on an ephemeral loopback port with in-memory state, for live tests.
/// <see cref="RestartAsync"/> brings it back on the same port with the same token secret, as a restarted
/// server would be, so that clients can reconnect with their tokens.
/// </summary>
internal sealed class LiveServer : IAsyncDisposable
{
    private readonly HyphaServerOptions _options;
    private HyphaServer _server;

    private LiveServer(HyphaServerOptions options, HyphaServer server)
    {
        _options = options;
        _server = server;
    }

    /// <summary>What clients pass as <c>server_url</c>, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string Url => _server.BaseUrl;

    /// <summary>The same server in native mode over TCP, e.g. <c>tcp://127.0.0.1:41234</c>.</summary>
    public string NativeUrl => _server.NativeUrl;

    /// <summary>The same server in native mode over its Unix socket, e.g. <c>unix:///tmp/hypha-live-x.sock</c>.</summary>
    public string UnixUrl => _server.UnixUrl!;

    /// <summary>Options for a native client of this server (TCP), with <paramref name="settings"/> announced at Hello.</summary>
    public Hypha.Client.HyphaClientOptions NativeClient(string? clientId = null, Hypha.Protocol.Native.NativeSettings? settings = null) => new()
    {
        ServerUrl = NativeUrl,
        ClientId = clientId,
        Native = new Hypha.Transport.Multiplexing.MultiplexerOptions { Settings = settings ?? new Hypha.Protocol.Native.NativeSettings() },
    };

    /// <summary>The running server.</summary>
    public HyphaServer Server => _server;

    /// <summary>Starts a server; <paramref name="configure"/> may change the options first.</summary>
    public static async Task<LiveServer> StartAsync(Func<HyphaServerOptions, HyphaServerOptions>? configure = null)
    {
        HyphaServerOptions options = new HyphaServerOptions
        {
            Port = 0,
            JwtSecret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ServerId = "live-test",
            UnixSocketPath = Path.Combine(Path.GetTempPath(), $"hypha-live-{Guid.NewGuid():N}.sock"),
        };
        options = configure?.Invoke(options) ?? options;
        return new LiveServer(options, await HyphaServer.StartAsync(options, ManagerWiring.Create));
    }

    /// <summary>Stops the server (clients see their connection close) and starts it again on the same port.</summary>
    public async Task RestartAsync()
    {
        int port = new Uri(Url).Port;
        await _server.DisposeAsync();
        _server = await HyphaServer.StartAsync(_options with { Port = port }, ManagerWiring.Create);
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        File.Delete(_options.UnixSocketPath!);
    }
}
