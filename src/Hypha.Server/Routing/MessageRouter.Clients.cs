using Hypha.Server.Connections;

namespace Hypha.Server.Routing;

internal sealed partial class MessageRouter
{
    /// <inheritdoc />
    public IReadOnlyList<ConnectedClient> ListClients(string workspace)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        return [.. _registry.InWorkspace(workspace).Select(connection => connection.Client)];
    }

    /// <inheritdoc />
    public ConnectedClient? FindClient(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return _registry.Find(address)?.Client;
    }

    // The live connection of exactly this client: the same address may already belong to its reconnection.
    private ClientConnection? FindConnection(ConnectedClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        ClientConnection? connection = _registry.Find(client.Address);
        return connection is not null && (ReferenceEquals(connection.Client, client) || connection.Client == client) ? connection : null;
    }
}
