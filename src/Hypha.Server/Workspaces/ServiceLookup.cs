namespace Hypha.Server.Workspaces;

/// <summary>A query for registered services in one workspace; <c>*</c> in a pattern matches any text.</summary>
/// <param name="Workspace">The workspace to search (never a wildcard).</param>
/// <param name="ClientIdPattern">The provider's client id, or a pattern such as <c>*</c> (any client).</param>
/// <param name="ServiceName">The service's name.</param>
/// <param name="AppIdPattern">The app id, or <c>*</c> for any (including none).</param>
public sealed record ServiceLookup(string Workspace, string ClientIdPattern, string ServiceName, string AppIdPattern)
    : ServiceQuery
{
    /// <summary>Tells whether a registered service is one this query names (access rules are applied separately).</summary>
    /// <param name="service">The registered service.</param>
    public bool Matches(RegisteredService service) =>
        service.Workspace == Workspace
        && service.ServiceName == ServiceName
        && WildcardPattern.IsMatch(ClientIdPattern, service.ClientId)
        && WildcardPattern.IsMatch(AppIdPattern, service.AppIdOrWildcard);

    /// <summary>The query as an id, <c>ws/cid:svc</c>, with <c>@app_id</c> unless any app matches.</summary>
    public override string ToString()
    {
        string id = $"{Workspace}/{ClientIdPattern}:{ServiceName}";
        return AppIdPattern == ServiceIdSyntax.Wildcard ? id : $"{id}@{AppIdPattern}";
    }
}
