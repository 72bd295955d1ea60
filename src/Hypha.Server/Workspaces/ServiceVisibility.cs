namespace Hypha.Server.Workspaces;

/// <summary>Who may reach a service (<c>config.visibility</c>, hypha-protocol.md 4.1).</summary>
public enum ServiceVisibility
{
    /// <summary>The default: only its own workspace and the workspaces in <c>authorized_workspaces</c>.</summary>
    Protected,

    /// <summary>Anyone; listed in every workspace's listings.</summary>
    Public,

    /// <summary>Anyone who knows the id; listed only on request, and only to its own workspace.</summary>
    Unlisted,
}
