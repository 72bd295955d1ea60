namespace Hypha.Server;

public sealed partial class HyphaServer
{
    /// <summary>Starts a hypha server with its workspace manager: what the hypha-server executable runs.</summary>
    /// <param name="options">The settings (port 0 picks a free port; <see cref="BaseUrl"/> tells which).</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running server, already listening.</returns>
    public static Task<HyphaServer> StartAsync(HyphaServerOptions options, CancellationToken cancellationToken = default) =>
        StartAsync(options, ManagerWiring.Create, cancellationToken);
}
