using Hypha.Client.Services;
using Hypha.Protocol.MsgPack;

namespace Hypha.Server.Workspaces;

/// <summary>
/// A service in the registry: its parsed id and access settings, and the ServiceInfo map as the provider
/// registered it plus the fields the server adds (<c>config.workspace</c>, <c>name</c>, <c>app_id</c>,
/// <c>config.created_by</c>).
/// </summary>
public sealed record RegisteredService
{
    internal RegisteredService(
        ServiceId id,
        ServiceVisibility visibility,
        IReadOnlyList<string> authorizedWorkspaces,
        string type,
        bool isSingleton,
        MsgPackMap info)
    {
        Id = id;
        Visibility = visibility;
        AuthorizedWorkspaces = authorizedWorkspaces;
        Type = type;
        IsSingleton = isSingleton;
        Info = info;
    }

    /// <summary>The full id (its <see cref="ServiceId.AppId"/> is <see cref="AppId"/>).</summary>
    public ServiceId Id { get; }

    /// <summary>The provider's workspace.</summary>
    public string Workspace => Id.Workspace;

    /// <summary>The provider's client id.</summary>
    public string ClientId => Id.ClientId;

    /// <summary>The service's name within its client.</summary>
    public string ServiceName => Id.ServiceName;

    /// <summary>The application the service belongs to, or null (stored as <c>app_id: "*"</c>, as hypha does).</summary>
    public string? AppId => Id.AppId;

    /// <summary>Who may reach the service.</summary>
    public ServiceVisibility Visibility { get; }

    /// <summary>Other workspaces that may reach this protected service (<c>config.authorized_workspaces</c>).</summary>
    public IReadOnlyList<string> AuthorizedWorkspaces { get; }

    /// <summary>The service type (<c>type</c>; <c>"generic"</c> when absent, like hypha's model default).</summary>
    public string Type { get; }

    /// <summary>Whether <c>config.singleton</c> is true: no other service in the workspace may share its name.</summary>
    public bool IsSingleton { get; }

    /// <summary>
    /// The stored ServiceInfo. Shared with the registry: treat it as read-only (the registry's lookups hand out
    /// copies).
    /// </summary>
    public MsgPackMap Info { get; }

    /// <summary>Registration order; a replacement keeps the slot of the entry it replaces.</summary>
    internal long Sequence { get; init; }

    /// <summary>The app id as hypha keys it: <c>*</c> when the service has none.</summary>
    internal string AppIdOrWildcard => AppId ?? ServiceIdSyntax.Wildcard;

    /// <summary>
    /// The access rule for reaching a service by id (hypha-protocol.md 4.4): public and unlisted services are open
    /// to anyone; a protected one only to its own workspace and to the workspaces in
    /// <see cref="AuthorizedWorkspaces"/>.
    /// </summary>
    /// <param name="callerWorkspace">The caller's workspace.</param>
    public bool IsReachableFrom(string callerWorkspace) =>
        ServiceVisibilityNames.IsReachable(Visibility, Workspace, AuthorizedWorkspaces, callerWorkspace);
}
