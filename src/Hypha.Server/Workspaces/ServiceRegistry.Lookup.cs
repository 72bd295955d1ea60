using Hypha.Protocol.MsgPack;

namespace Hypha.Server.Workspaces;

/// <summary>Finding and listing services (hypha's <c>get_service_info</c> and <c>list_services</c>).</summary>
public sealed partial class ServiceRegistry
{
    /// <summary>
    /// The one service a query id names (see <see cref="ServiceQuery.Parse"/> for the forms). <c>"~"</c> names the
    /// manager, which is not in the registry: parse first and handle <see cref="ManagerQuery"/>, or this throws
    /// Invalid.
    /// </summary>
    /// <param name="query">The id the caller passed.</param>
    /// <param name="callerWorkspace">The caller's workspace (<c>ctx.ws</c>).</param>
    /// <param name="mode">
    /// <c>exact</c>, <c>random</c>, <c>first</c> or <c>last</c> (registration order); null for hypha's default,
    /// <c>random</c> in workspace <c>public</c> and <c>exact</c> elsewhere.
    /// </param>
    /// <param name="asManager">True when the manager itself asks: it may reach every service.</param>
    /// <exception cref="ServiceRegistryException">
    /// NotFound when nothing matches; PermissionDenied when only protected services the caller may not reach
    /// match; Ambiguous when mode <c>exact</c> matches several; Invalid for a malformed id or mode.
    /// </exception>
    public RegisteredService Resolve(string query, string callerWorkspace, string? mode = null, bool asManager = false) =>
        Resolve(AsLookup(query, callerWorkspace), callerWorkspace, mode, asManager);

    /// <summary>The one service a parsed query names; see <see cref="Resolve(string, string, string?, bool)"/>.</summary>
    /// <param name="query">The parsed query.</param>
    /// <param name="callerWorkspace">The caller's workspace (<c>ctx.ws</c>).</param>
    /// <param name="mode"><c>exact</c>, <c>random</c>, <c>first</c>, <c>last</c>, or null for hypha's default.</param>
    /// <param name="asManager">True when the manager itself asks: it may reach every service.</param>
    public RegisteredService Resolve(ServiceLookup query, string callerWorkspace, string? mode = null, bool asManager = false)
    {
        ServiceSelection.Mode selection = ServiceSelection.Parse(mode, query.Workspace);
        lock (_gate)
        {
            List<RegisteredService> matches = _byWorkspace.TryGetValue(query.Workspace, out List<RegisteredService>? services)
                ? services.FindAll(query.Matches)
                : [];
            if (matches.Count == 0)
            {
                throw ServiceRegistryException.NotFound(query.ToString());
            }

            // Unlike hypha, which picks first and checks after, only reachable services are candidates: otherwise
            // mode random would fail at random when a query matches services with different access settings.
            List<RegisteredService> reachable = asManager ? matches : matches.FindAll(s => s.IsReachableFrom(callerWorkspace));
            if (reachable.Count == 0)
            {
                throw ServiceRegistryException.Denied($"Permission denied for non-public service in workspace {query.Workspace}");
            }

            return ServiceSelection.Pick(reachable, selection, _random, query);
        }
    }

    /// <summary>
    /// The stored ServiceInfo of the service a query names (hypha's <c>get_service_info</c>), as a copy the caller
    /// may change. A caller from another workspace (reaching a protected service through
    /// <c>authorized_workspaces</c>, or a public one) does not see <c>config.authorized_workspaces</c>.
    /// </summary>
    /// <param name="query">The id the caller passed; not <c>"~"</c> (see <see cref="Resolve(string, string, string?, bool)"/>).</param>
    /// <param name="callerWorkspace">The caller's workspace (<c>ctx.ws</c>).</param>
    /// <param name="mode"><c>exact</c>, <c>random</c>, <c>first</c>, <c>last</c>, or null for hypha's default.</param>
    /// <param name="asManager">True when the manager itself asks: it may reach every service and sees the whole info.</param>
    public MsgPackMap GetServiceInfo(string query, string callerWorkspace, string? mode = null, bool asManager = false) =>
        ServiceInfoCopies.ForCaller(Resolve(query, callerWorkspace, mode, asManager), callerWorkspace, asManager);

    /// <summary>
    /// The ServiceInfos a <c>list_services</c> call returns, in registration order, as copies.
    /// </summary>
    /// <param name="query">
    /// Nil (the caller's workspace); a map of any of <c>workspace, client_id, service_id</c> (alias <c>id</c>),
    /// <c>type, visibility, app_id</c>, each may use <c>*</c> wildcards; or a string: <c>ws/cid:svc</c>,
    /// <c>ws/svc</c>, <c>cid:svc</c> (optionally <c>@app_id</c>), or a bare workspace name as in hypha
    /// (<c>"public"</c>). Workspace <c>*</c> means every workspace, where other workspaces show only public services.
    /// </param>
    /// <param name="callerWorkspace">The caller's workspace (<c>ctx.ws</c>).</param>
    /// <param name="includeUnlisted">Also list unlisted services; allowed only for the caller's own workspace.</param>
    /// <exception cref="ServiceRegistryException">
    /// Invalid for a malformed query; PermissionDenied for <paramref name="includeUnlisted"/> outside the caller's
    /// workspace.
    /// </exception>
    public IReadOnlyList<MsgPackMap> List(MsgPackValue query, string callerWorkspace, bool includeUnlisted = false)
    {
        ServiceListFilter filter = ServiceListFilter.Parse(query, callerWorkspace, includeUnlisted);
        lock (_gate)
        {
            // A literal workspace reads its own list; a pattern scans them all, merged back into registration order.
            IEnumerable<RegisteredService> candidates;
            if (!ServiceIdSyntax.HasWildcard(filter.Workspace))
            {
                candidates = _byWorkspace.TryGetValue(filter.Workspace, out List<RegisteredService>? services) ? services : [];
            }
            else
            {
                candidates = _byWorkspace.Values.SelectMany(s => s).OrderBy(s => s.Sequence);
            }

            return candidates
                .Where(s => filter.Shows(s, callerWorkspace, includeUnlisted))
                .Select(s => ServiceInfoCopies.ForCaller(s, callerWorkspace, asManager: false))
                .ToList();
        }
    }

    private static ServiceLookup AsLookup(string query, string callerWorkspace) =>
        ServiceQuery.Parse(query, callerWorkspace) as ServiceLookup
        ?? throw ServiceRegistryException.Invalid(
            "'~' names the workspace manager's own service, which is not in the registry; handle ManagerQuery before resolving.");
}
