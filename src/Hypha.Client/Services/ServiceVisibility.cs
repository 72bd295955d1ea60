namespace Hypha.Client.Services;

/// <summary>Who may call a service (its <c>config.visibility</c>).</summary>
public enum ServiceVisibility
{
    /// <summary>Only clients of the same workspace, of <c>authorized_workspaces</c>, and the manager. The default.</summary>
    Protected,
    /// <summary>Anyone; listed.</summary>
    Public,
    /// <summary>Anyone who knows the id; not listed.</summary>
    Unlisted,
}
