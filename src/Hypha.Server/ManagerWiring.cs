using Hypha.Server.Manager;
using Hypha.Server.Routing;

namespace Hypha.Server;

/// <summary>Where the hypha-server executable gets its workspace manager: the line that joins the server to it.</summary>
internal static class ManagerWiring
{
    /// <summary>Creates the workspace manager for a server that has just started listening.</summary>
    /// <param name="router">The router the manager sends through.</param>
    /// <param name="options">The server's effective options (bound port, public base URL, server id, secret).</param>
    public static IManagerPeer Create(IMessageRouter router, HyphaServerOptions options) =>
        new WorkspaceManager(router, options.ServerId!, options.PublicBaseUrl!, options.HyphaVersion);
}
