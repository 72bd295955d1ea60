using Hypha.Protocol.Schemas;

namespace Hypha.Server.Routing;

/// <summary>
/// The workspace manager as the router sees it: the in-process RPC peer at <c>*/&lt;manager_id&gt;</c>.
/// </summary>
public interface IManagerPeer
{
    /// <summary>The manager id; its address is <c>*/&lt;ManagerId&gt;</c>.</summary>
    string ManagerId { get; }

    /// <summary>
    /// Delivers a frame a client addressed to the manager. Its <c>main</c> is already stamped by the router
    /// (<c>from</c>, <c>to</c>, <c>ws</c>, <c>user</c>); <c>extra</c> is the client's bytes, unchanged.
    /// </summary>
    ValueTask DeliverAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken);

    /// <summary>Delivers a message a client addressed to the manager, decoded and stamped by the router.</summary>
    ValueTask DeliverAsync(RpcMethodV4 message, CancellationToken cancellationToken);

    /// <summary>Called once a client's handshake completed and it can receive frames.</summary>
    ValueTask OnClientConnectedAsync(ConnectedClient client);

    /// <summary>Called once a client's connection ended (its frames can no longer be delivered).</summary>
    ValueTask OnClientDisconnectedAsync(ConnectedClient client);
}
