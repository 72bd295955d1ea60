using System.Collections.Concurrent;
using Hypha.Server.Connections;

namespace Hypha.Server.Routing;

/// <summary>
/// The connected clients, by address and by workspace. Lookups are lock-free (every routed frame does one); changes
/// take a lock so that both indexes always agree.
/// </summary>
internal sealed class ClientRegistry
{
    private readonly ConcurrentDictionary<string, ClientConnection> _byAddress = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, ClientConnection>> _byWorkspace = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>Every connected client, as a snapshot.</summary>
    public IReadOnlyCollection<ClientConnection> All => [.. _byAddress.Values];

    /// <summary>Adds a connection unless its address is taken; returns the connection holding it, or null when added.</summary>
    public ClientConnection? TryAdd(ClientConnection connection)
    {
        lock (_gate)
        {
            if (_byAddress.TryGetValue(connection.Address, out ClientConnection? existing))
            {
                return existing;
            }

            _byAddress[connection.Address] = connection;
            _byWorkspace.GetOrAdd(connection.Client.Workspace, _ => new(StringComparer.Ordinal))[connection.Client.ClientId] = connection;
            return null;
        }
    }

    /// <summary>Removes a connection if it still holds its address (a replacement may already hold it).</summary>
    public bool Remove(ClientConnection connection)
    {
        lock (_gate)
        {
            if (!_byAddress.TryRemove(new KeyValuePair<string, ClientConnection>(connection.Address, connection)))
            {
                return false;
            }

            string workspace = connection.Client.Workspace;
            if (_byWorkspace.TryGetValue(workspace, out ConcurrentDictionary<string, ClientConnection>? clients))
            {
                clients.TryRemove(connection.Client.ClientId, out _);
                if (clients.IsEmpty)
                {
                    _byWorkspace.TryRemove(workspace, out _);
                }
            }

            return true;
        }
    }

    /// <summary>The connection at an absolute address, if any.</summary>
    public ClientConnection? Find(string address) => _byAddress.GetValueOrDefault(address);

    /// <summary>The connections of a workspace, as a snapshot.</summary>
    public IReadOnlyCollection<ClientConnection> InWorkspace(string workspace) =>
        _byWorkspace.TryGetValue(workspace, out ConcurrentDictionary<string, ClientConnection>? clients) ? [.. clients.Values] : [];
}
