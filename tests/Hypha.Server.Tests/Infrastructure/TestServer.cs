namespace Hypha.Server.Tests.Infrastructure;

/// <summary>Starts servers on an ephemeral port with a fake manager and short timeouts.</summary>
internal static class TestServer
{
    public static HyphaServerOptions DefaultOptions { get; } = new()
    {
        Port = 0,
        CloseTimeout = TimeSpan.FromSeconds(1),
        MinimumLogLevel = Microsoft.Extensions.Logging.LogLevel.None,
    };

    public static async Task<(HyphaServer Server, FakeManager Manager)> StartAsync(Func<HyphaServerOptions, HyphaServerOptions>? configure = null)
    {
        var manager = new FakeManager();
        HyphaServerOptions options = configure?.Invoke(DefaultOptions) ?? DefaultOptions;
        HyphaServer server = await HyphaServer.StartAsync(options, manager.Attach);
        return (server, manager);
    }
}
