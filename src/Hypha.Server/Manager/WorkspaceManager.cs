using Hypha.Client.Rpc;
using Hypha.Protocol.MsgPack;
using Hypha.Protocol.Schemas;
using Hypha.Server.Routing;
using Hypha.Server.Workspaces;

namespace Hypha.Server.Manager;

/// <summary>
/// The workspace manager: the server's own RPC peer at <c>*/&lt;manager_id&gt;</c>. It runs the same RPC core as
/// every client and offers the <c>default</c> service (register, get and list services, subscribe to events...)
/// on top of the service registry, and keeps the registry in step with connections.
/// </summary>
public sealed partial class WorkspaceManager : IManagerPeer, IAsyncDisposable
{
    private readonly IMessageRouter _router;
    private readonly ServiceRegistry _registry = new();
    private readonly RpcPeer _peer;
    private readonly string _publicBaseUrl;

    /// <summary>Creates the manager of a server whose public URL is <paramref name="publicBaseUrl"/>.</summary>
    public WorkspaceManager(IMessageRouter router, string serverId, string publicBaseUrl, string hyphaVersion)
    {
        _router = router ?? throw new ArgumentNullException(nameof(router));
        ArgumentException.ThrowIfNullOrEmpty(serverId);
        ArgumentException.ThrowIfNullOrEmpty(publicBaseUrl);
        ManagerId = $"manager-{serverId}";
        _publicBaseUrl = publicBaseUrl;
        _peer = new RpcPeer(
            new RpcPeerOptions { Workspace = "*", ClientId = ManagerId, ServerUrl = publicBaseUrl, ManagerId = ManagerId },
            (message, _, cancellationToken) => _router.SendFromManagerAsync(message, cancellationToken));
        _peer.AddService(BuildDefaultService(serverId, hyphaVersion));
    }

    /// <inheritdoc />
    public string ManagerId { get; }

    /// <summary>The registry of every workspace's services.</summary>
    public ServiceRegistry Registry => _registry;

    /// <inheritdoc />
    public ValueTask DeliverAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken) => _peer.HandleFrameAsync(frame);

    /// <inheritdoc />
    public ValueTask DeliverAsync(RpcMethodV4 message, CancellationToken cancellationToken) => _peer.HandleAsync(message);

    /// <inheritdoc />
    public ValueTask OnClientConnectedAsync(ConnectedClient client) => ValueTask.CompletedTask;

    /// <summary>
    /// Removes the client's services (each announced as <c>service_removed</c>), announces
    /// <c>client_disconnected</c>, and fails the manager's own calls still waiting on that client.
    /// </summary>
    public async ValueTask OnClientDisconnectedAsync(ConnectedClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        IReadOnlyList<RegisteredService> removed = _registry.RemoveClient(client.Workspace, client.ClientId);
        foreach (RegisteredService service in removed)
        {
            await _router.PublishEventAsync(client.Workspace, "service_removed", service.Info.Clone()).ConfigureAwait(false);
        }

        await _router.PublishEventAsync(client.Workspace, "client_disconnected",
            new MsgPackMap { { "id", client.ClientId }, { "workspace", client.Workspace } }).ConfigureAwait(false);
        _peer.RejectSessionsOf(client.Address, "Client disconnected");
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _peer.DisposeAsync();
}
