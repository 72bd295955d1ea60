using Hypha.Protocol.MsgPack;
using Hypha.Protocol.Schemas;

namespace Hypha.Server.Routing;

/// <summary>What the workspace manager needs from the router.</summary>
public interface IMessageRouter
{
    /// <summary>
    /// Sends a message from the manager. Its <c>to</c> is an absolute client address; the router stamps
    /// <c>from = "*/&lt;manager_id&gt;"</c> and delivers it, or, when the target is gone and the message carries a
    /// <c>session</c>, answers the manager with the synthetic reject (hypha-protocol.md 1.3). The message is the
    /// router's from then on.
    /// </summary>
    ValueTask SendFromManagerAsync(RpcMethodV4 message, CancellationToken cancellationToken);

    /// <summary>
    /// Publishes a server event <c>{type, to:"*", data}</c> to the clients of <paramref name="workspace"/> that
    /// subscribed to <paramref name="eventType"/>.
    /// </summary>
    ValueTask PublishEventAsync(string workspace, string eventType, MsgPackMap data);

    /// <summary>Subscribes a client to event types.</summary>
    void Subscribe(ConnectedClient client, IEnumerable<string> eventTypes);

    /// <summary>Removes a client's subscriptions to event types.</summary>
    void Unsubscribe(ConnectedClient client, IEnumerable<string> eventTypes);

    /// <summary>The connected clients of a workspace.</summary>
    IReadOnlyList<ConnectedClient> ListClients(string workspace);

    /// <summary>The connected client at an absolute address, if any.</summary>
    ConnectedClient? FindClient(string address);
}
