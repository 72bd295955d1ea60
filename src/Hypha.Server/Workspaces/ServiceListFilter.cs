using Hypha.Client.Services;
using Hypha.Protocol.MsgPack;

namespace Hypha.Server.Workspaces;

/// <summary>
/// The <c>query</c> of <c>list_services</c>, parsed as hypha does, and the rule for which services a caller may
/// see in a listing. Each pattern part may use <c>*</c> wildcards; <see cref="Visibility"/> null means any.
/// </summary>
internal sealed record ServiceListFilter(
    string Workspace,
    string ClientId,
    string ServiceId,
    string AppId,
    string Type,
    ServiceVisibility? Visibility)
{
    private static readonly string[] AllowedKeys = ["workspace", "client_id", "service_id", "id", "type", "visibility", "app_id"];

    /// <summary>Whether the query spans every workspace (<c>workspace: "*"</c>).</summary>
    public bool AllWorkspaces => Workspace == ServiceIdSyntax.Wildcard;

    /// <summary>
    /// Parses a query: nil (the caller's workspace), a map with any of <c>workspace, client_id, service_id</c>
    /// (or its alias <c>id</c>)<c>, type, visibility, app_id</c>, or a string (see <see cref="FromString"/>).
    /// Applies hypha's rules for unlisted and cross-workspace listings, which fail rather than return less.
    /// </summary>
    public static ServiceListFilter Parse(MsgPackValue query, string callerWorkspace, bool includeUnlisted)
    {
        ServiceListFilter filter = query switch
        {
            { IsNil: true } => new(callerWorkspace, "*", "*", "*", "*", null),
            { IsString: true } => FromString(query.AsString(), callerWorkspace),
            { IsMap: true } => FromMap(query.AsMap(), callerWorkspace),
            _ => throw ServiceRegistryException.Invalid($"The list_services query must be a map, a string or null, not {query.Kind}."),
        };
        filter.Validate(callerWorkspace, includeUnlisted);
        return filter;
    }

    /// <summary>
    /// Whether a listing shows the service to the caller. Beyond the patterns: across all workspaces only public
    /// services of other workspaces; unlisted ones only on request and only from the caller's own workspace;
    /// protected ones only from the caller's workspace or one that authorized it.
    /// </summary>
    public bool Shows(RegisteredService service, string callerWorkspace, bool includeUnlisted)
    {
        bool matches = WildcardPattern.IsMatch(Workspace, service.Workspace)
            && WildcardPattern.IsMatch(ClientId, service.ClientId)
            && WildcardPattern.IsMatch(ServiceId, service.ServiceName)
            && WildcardPattern.IsMatch(AppId, service.AppIdOrWildcard)
            && WildcardPattern.IsMatch(Type, service.Type)
            && (Visibility is null || Visibility == service.Visibility);
        if (!matches)
        {
            return false;
        }

        bool own = service.Workspace == callerWorkspace;
        if (AllWorkspaces && !own)
        {
            return service.Visibility == ServiceVisibility.Public;
        }

        return service.Visibility switch
        {
            ServiceVisibility.Unlisted => includeUnlisted && own,
            ServiceVisibility.Protected => service.IsReachableFrom(callerWorkspace),
            _ => true,
        };
    }

    /// <summary>
    /// String forms, as hypha parses them: <c>ws/cid:svc</c>, <c>ws/svc</c> (any client), <c>cid:svc</c> (the
    /// caller's workspace), each with an optional <c>@app_id</c>; a bare string names a <em>workspace</em>
    /// (<c>list_services("public")</c>). A <c>*</c> workspace part means every workspace.
    /// </summary>
    private static ServiceListFilter FromString(string query, string callerWorkspace)
    {
        if (!ServiceIdSyntax.TrySplit(query, out ServiceIdSyntax.Parts parts, out string? error))
        {
            throw ServiceRegistryException.Invalid(error);
        }

        if (parts is { Workspace: null, ClientId: null })
        {
            return parts.AppId is null
                ? new(parts.ServiceName, "*", "*", "*", "*", null)
                : throw ServiceRegistryException.Invalid($"Invalid query '{query}': a bare query names a workspace and cannot have '@app_id'.");
        }

        return new(parts.Workspace ?? callerWorkspace, parts.ClientId ?? "*", parts.ServiceName, parts.AppId ?? "*", "*", null);
    }

    private static ServiceListFilter FromMap(MsgPackMap query, string callerWorkspace)
    {
        foreach (KeyValuePair<MsgPackValue, MsgPackValue> entry in query)
        {
            if (!entry.Key.TryGetString(out string? key) || !AllowedKeys.Contains(key))
            {
                throw ServiceRegistryException.Invalid(
                    $"Invalid query key {entry.Key}: the allowed keys are {string.Join(", ", AllowedKeys)}.");
            }
        }

        string? serviceId = Field(query, "service_id");
        string? idAlias = Field(query, "id");
        if (serviceId is not null && idAlias is not null)
        {
            throw ServiceRegistryException.Invalid("Cannot specify both 'id' and 'service_id' in the query.");
        }

        serviceId ??= idAlias ?? "*";
        string? appId = Field(query, "app_id");
        int at = serviceId.IndexOf(ServiceIdSyntax.AppSeparator);
        if (at >= 0)
        {
            string suffix = serviceId[(at + 1)..];
            if (appId is not null && appId != suffix)
            {
                throw ServiceRegistryException.Invalid($"App id mismatch: {appId} != {suffix}");
            }

            (serviceId, appId) = (serviceId[..at], suffix);
        }

        string? visibility = Field(query, "visibility");
        return new(
            Field(query, "workspace") ?? callerWorkspace,
            Field(query, "client_id") ?? "*",
            serviceId,
            appId ?? "*",
            Field(query, "type") ?? "*",
            visibility is null or "*" ? null : ParseVisibility(visibility));
    }

    private static string? Field(MsgPackMap query, string key)
    {
        MsgPackValue value = query[key];
        if (value.IsNil)
        {
            return null;
        }

        return value.TryGetString(out string? text)
            ? text
            : throw ServiceRegistryException.Invalid($"The query's '{key}' must be a string but is {value.Kind}.");
    }

    private static ServiceVisibility ParseVisibility(string text) =>
        ServiceVisibilityNames.TryParse(text, out ServiceVisibility visibility)
            ? visibility
            : throw ServiceRegistryException.Invalid($"Invalid visibility '{text}' in the query: use 'public', 'protected', 'unlisted' or '*'.");

    private void Validate(string callerWorkspace, bool includeUnlisted)
    {
        foreach (string part in (ReadOnlySpan<string>)[Workspace, ClientId, ServiceId, AppId, Type])
        {
            // Separators inside a part would make it match across id boundaries; hypha rejects them too.
            if (part.Length == 0 || part.AsSpan().IndexOfAny("/:@") >= 0)
            {
                throw ServiceRegistryException.Invalid($"Invalid query part '{part}': it must be non-empty and cannot contain '/', ':' or '@'.");
            }
        }

        if (AllWorkspaces)
        {
            if (Visibility is ServiceVisibility.Protected or ServiceVisibility.Unlisted)
            {
                throw ServiceRegistryException.Invalid("Cannot list protected or unlisted services in all workspaces.");
            }

            if (includeUnlisted)
            {
                throw ServiceRegistryException.Denied("Cannot include unlisted services when searching all workspaces.");
            }
        }
        else if (includeUnlisted && Workspace != callerWorkspace)
        {
            throw ServiceRegistryException.Denied(
                $"Cannot include unlisted services from workspace {Workspace}. Only services from your current workspace ({callerWorkspace}) can include unlisted services.");
        }
    }
}
