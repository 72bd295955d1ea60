namespace Hypha.Server.Workspaces;

/// <summary>The query <c>"~"</c>: the workspace manager's own service, which is never in the registry.</summary>
public sealed record ManagerQuery : ServiceQuery
{
    private ManagerQuery()
    {
    }

    /// <summary>The only instance.</summary>
    public static ManagerQuery Instance { get; } = new();

    /// <inheritdoc />
    public override string ToString() => ManagerShortcut;
}
