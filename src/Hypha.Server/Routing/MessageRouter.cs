using Hypha.Protocol.MsgPack;
using Microsoft.Extensions.Logging;

namespace Hypha.Server.Routing;

/// <summary>
/// Routes every binary frame (hypha-protocol.md 2.7) between clients, the workspace manager and event subscribers,
/// and is what the manager sees of the server (<see cref="IMessageRouter"/>). Frames from clients are in
/// <c>FromClient</c>, from the manager in <c>FromManager</c>, delivery in <c>Delivery</c>, events in <c>Events</c>,
/// and the manager's view of connections in <c>Clients</c>.
/// </summary>
internal sealed partial class MessageRouter : IMessageRouter
{
    private readonly ClientRegistry _registry;
    private readonly ILogger _logger;
    private readonly CancellationToken _stopping;
    private IManagerPeer? _manager;
    private MsgPackMap? _serverUser;
    private RawMsgPack _encodedServerUser;

    /// <summary>Creates the router; <see cref="AttachManager"/> must be called before the first frame.</summary>
    public MessageRouter(ClientRegistry registry, ILogger logger, CancellationToken stopping)
    {
        _registry = registry;
        _logger = logger;
        _stopping = stopping;
    }

    /// <summary>The workspace manager.</summary>
    public IManagerPeer Manager => _manager ?? throw new InvalidOperationException("No workspace manager is attached yet.");

    /// <summary>The manager's address, <c>*/&lt;manager_id&gt;</c>.</summary>
    public string ManagerAddress { get; private set; } = string.Empty;

    /// <summary>
    /// Connects the manager. It is created after the router (it needs the router), so the two meet here, once, before
    /// any client is admitted.
    /// </summary>
    public void AttachManager(IManagerPeer manager)
    {
        ArgumentNullException.ThrowIfNull(manager);
        if (Interlocked.CompareExchange(ref _manager, manager, null) is not null)
        {
            throw new InvalidOperationException("A workspace manager is already attached.");
        }

        ManagerAddress = Addresses.OfManager(manager.ManagerId);
        _serverUser = ServerUser.For(manager.ManagerId);
        _encodedServerUser = RawMsgPack.From(_serverUser);
    }
}
