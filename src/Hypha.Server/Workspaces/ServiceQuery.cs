namespace Hypha.Server.Workspaces;

/// <summary>
/// What a <c>get_service</c> / <c>get_service_info</c> id names, resolved against the caller's workspace
/// (hypha-protocol.md 4.3): either the workspace manager itself (<see cref="ManagerQuery"/>) or registered
/// services (<see cref="ServiceLookup"/>).
/// </summary>
public abstract record ServiceQuery
{
    /// <summary>The manager's own shortcut id, <c>"~"</c> (also accepted as <c>"&lt;ws&gt;/~"</c>).</summary>
    public const string ManagerShortcut = "~";

    private protected ServiceQuery()
    {
    }

    /// <summary>
    /// Parses a query id. Forms: <c>ws/cid:svc</c>; <c>ws/svc</c> (any client of ws); <c>cid:svc</c> and
    /// <c>svc</c> (the caller's workspace); each with an optional <c>@app_id</c>; and <c>"~"</c> for the manager.
    /// The client id and app id may use <c>*</c> wildcards; the workspace and service name may not.
    /// Throws <see cref="ServiceRegistryException"/> (Invalid) for a malformed id.
    /// </summary>
    /// <param name="text">The id the caller passed.</param>
    /// <param name="callerWorkspace">The caller's workspace (<c>ctx.ws</c>), used when the id names none.</param>
    public static ServiceQuery Parse(string? text, string callerWorkspace)
    {
        if (!ServiceIdSyntax.TrySplit(text, out ServiceIdSyntax.Parts parts, out string? error))
        {
            throw ServiceRegistryException.Invalid(error);
        }

        if (parts is { ServiceName: ManagerShortcut, ClientId: null, AppId: null })
        {
            return ManagerQuery.Instance;
        }

        string workspace = parts.Workspace ?? callerWorkspace;
        if (ServiceIdSyntax.HasWildcard(workspace))
        {
            throw ServiceRegistryException.Invalid(
                $"Invalid service id: '{text}', you must specify a workspace for the service query; call list_services to search across workspaces.");
        }

        if (ServiceIdSyntax.HasWildcard(parts.ServiceName))
        {
            throw ServiceRegistryException.Invalid(
                $"Invalid service id: '{text}', the service id cannot be a wildcard; call list_services to search.");
        }

        return new ServiceLookup(
            workspace,
            parts.ClientId ?? ServiceIdSyntax.Wildcard,
            parts.ServiceName,
            parts.AppId ?? ServiceIdSyntax.Wildcard);
    }
}
