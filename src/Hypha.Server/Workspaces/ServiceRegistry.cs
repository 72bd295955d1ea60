using Hypha.Protocol.MsgPack;

namespace Hypha.Server.Workspaces;

/// <summary>
/// The services registered in every workspace: pure, I/O-free data the workspace manager consults for
/// register/unregister/get/list calls. Thread-safe: every operation runs under one lock, and entries are
/// immutable once stored (lookups hand out copies of their info maps).
/// </summary>
public sealed partial class ServiceRegistry
{
    private readonly Lock _gate = new();

    // Keyed by "<ws>/<cid>:<svc>" (the id without app): hypha replaces a service with the same id whatever its app.
    private readonly Dictionary<string, RegisteredService> _byKey = new(StringComparer.Ordinal);

    // Each workspace's services in registration order, which the first/last modes and listings follow.
    private readonly Dictionary<string, List<RegisteredService>> _byWorkspace = new(StringComparer.Ordinal);
    private readonly Random _random;
    private long _nextSequence;

    /// <summary>Creates an empty registry whose <c>random</c> mode uses <see cref="Random.Shared"/>.</summary>
    public ServiceRegistry()
        : this(Random.Shared)
    {
    }

    /// <summary>Creates an empty registry whose <c>random</c> mode draws from <paramref name="random"/> (seed it in tests).</summary>
    /// <param name="random">The source for <c>random</c> mode; only used under the registry's lock.</param>
    public ServiceRegistry(Random random)
    {
        _random = random;
    }

    /// <summary>
    /// Registers (or replaces) one of the caller's services, as hypha's <c>register_service</c> does.
    /// The id (<c>info.id</c>, <c>ws/cid:svc</c> or <c>cid:svc</c>, optionally <c>@app_id</c>) must be in the
    /// caller's workspace and name the caller's own client, else PermissionDenied; a malformed id, visibility or
    /// <c>authorized_workspaces</c> is Invalid; a clash with a singleton is a Conflict.
    /// </summary>
    /// <param name="caller">The registering client.</param>
    /// <param name="info">The ServiceInfo the client sent; not modified (the registry stores a copy).</param>
    /// <returns>
    /// The stored entry; or null when the service is silently not stored, as in hypha: a client-local service
    /// (<c>_rintf_*</c> ids, <c>config._local_only</c>), or a service other than <c>built-in</c> from a client whose
    /// <c>built-in</c> is not registered (a client that is gone or never finished connecting).
    /// </returns>
    public RegisteredService? Register(ConnectedCaller caller, MsgPackMap info) => Register(caller, info, out _);

    /// <summary>
    /// Registers (or replaces) one of the caller's services; see <see cref="Register(ConnectedCaller, MsgPackMap)"/>.
    /// </summary>
    /// <param name="caller">The registering client.</param>
    /// <param name="info">The ServiceInfo the client sent; not modified.</param>
    /// <param name="replaced">
    /// The entry this registration replaced (same id), or null: the manager announces a replacement as
    /// <c>service_removed</c> + <c>service_added</c> (<c>client_updated</c> for <c>built-in</c>), a new service as
    /// <c>service_added</c> (<c>client_connected</c>).
    /// </param>
    /// <returns>The stored entry, or null when the service is silently not stored.</returns>
    public RegisteredService? Register(ConnectedCaller caller, MsgPackMap info, out RegisteredService? replaced)
    {
        replaced = null;
        RegisteredService? entry = ServiceEntryFactory.Create(caller, info);
        if (entry is null)
        {
            return null;
        }

        lock (_gate)
        {
            // A registration can still be in flight when its client has gone (RemoveClient took its built-in);
            // storing it would leave a service no one provides, so hypha refuses it, without an error to a dead peer.
            if (entry.ServiceName != ServiceInfoKeys.BuiltInService
                && !_byKey.ContainsKey(new ServiceId(entry.Workspace, entry.ClientId, ServiceInfoKeys.BuiltInService).Key))
            {
                return null;
            }

            if (_byWorkspace.TryGetValue(entry.Workspace, out List<RegisteredService>? existing))
            {
                CheckSingletons(entry, existing);
            }

            List<RegisteredService> services = WorkspaceList(entry.Workspace);
            string key = entry.Id.Key;
            if (_byKey.TryGetValue(key, out RegisteredService? old))
            {
                entry = entry with { Sequence = old.Sequence };
                services[IndexOf(services, old)] = entry;
                replaced = old;
            }
            else
            {
                entry = entry with { Sequence = _nextSequence++ };
                services.Add(entry);
            }

            _byKey[key] = entry;
            return entry;
        }
    }

    /// <summary>
    /// Removes one of the caller's services (hypha's <c>unregister_service</c>). The id takes the query forms of
    /// <see cref="ServiceQuery.Parse"/>; one without a client id names the caller's own service.
    /// </summary>
    /// <param name="caller">The client asking.</param>
    /// <param name="serviceId">The service's id.</param>
    /// <returns>The removed entry.</returns>
    /// <exception cref="ServiceRegistryException">
    /// PermissionDenied when the id names another workspace, another client or the manager; NotFound when the
    /// caller has no such service; Invalid for a malformed id.
    /// </exception>
    public RegisteredService Unregister(ConnectedCaller caller, string serviceId)
    {
        if (ServiceQuery.Parse(serviceId, caller.Workspace) is not ServiceLookup query)
        {
            throw ServiceRegistryException.Denied("The workspace manager's service cannot be unregistered.");
        }

        // Only the owner may unregister, so "svc" and "ws/svc" can only mean the caller's own service.
        string clientId = query.ClientIdPattern == ServiceIdSyntax.Wildcard ? caller.ClientId : query.ClientIdPattern;
        if (query.Workspace != caller.Workspace || clientId != caller.ClientId)
        {
            throw ServiceRegistryException.Denied(
                $"Client '{caller.Workspace}/{caller.ClientId}' cannot unregister '{serviceId}': only the client that registered a service may remove it.");
        }

        var key = new ServiceId(query.Workspace, clientId, query.ServiceName);
        lock (_gate)
        {
            if (!_byKey.TryGetValue(key.Key, out RegisteredService? entry)
                || !WildcardPattern.IsMatch(query.AppIdPattern, entry.AppIdOrWildcard))
            {
                throw ServiceRegistryException.NotFound(key.Key);
            }

            Remove(entry);
            return entry;
        }
    }

    /// <summary>Removes every service of a client (its connection ended), <c>built-in</c> included.</summary>
    /// <param name="workspace">The client's workspace.</param>
    /// <param name="clientId">The client's id.</param>
    /// <returns>The removed entries, in registration order (empty when the client had none).</returns>
    public IReadOnlyList<RegisteredService> RemoveClient(string workspace, string clientId)
    {
        lock (_gate)
        {
            if (!_byWorkspace.TryGetValue(workspace, out List<RegisteredService>? services))
            {
                return [];
            }

            List<RegisteredService> removed = services.FindAll(s => s.ClientId == clientId);
            foreach (RegisteredService entry in removed)
            {
                Remove(entry);
            }

            return removed;
        }
    }

    private static void CheckSingletons(RegisteredService entry, List<RegisteredService> services)
    {
        foreach (RegisteredService other in services)
        {
            // Re-registering the same id replaces it, so it never clashes with itself.
            if (other.ServiceName != entry.ServiceName || other.Id.Key == entry.Id.Key)
            {
                continue;
            }

            if (entry.IsSingleton || other.IsSingleton)
            {
                throw new ServiceRegistryException(
                    ServiceRegistryErrorKind.Conflict,
                    $"A singleton service with the same name ({entry.ServiceName}) already exists in the workspace ({entry.Workspace}), please remove it first or use a different name.");
            }
        }
    }

    // By reference: record equality would compare whole info maps, and an entry is only ever in one slot.
    private static int IndexOf(List<RegisteredService> services, RegisteredService entry) =>
        services.FindIndex(s => ReferenceEquals(s, entry));

    private List<RegisteredService> WorkspaceList(string workspace)
    {
        if (!_byWorkspace.TryGetValue(workspace, out List<RegisteredService>? services))
        {
            services = [];
            _byWorkspace[workspace] = services;
        }

        return services;
    }

    private void Remove(RegisteredService entry)
    {
        _byKey.Remove(entry.Id.Key);
        List<RegisteredService> services = _byWorkspace[entry.Workspace];
        services.RemoveAt(IndexOf(services, entry));

        // An empty workspace keeps no list, so registries of short-lived workspaces do not grow.
        if (services.Count == 0)
        {
            _byWorkspace.Remove(entry.Workspace);
        }
    }
}
