namespace Hypha.Client.Services;

/// <summary>
/// The wire spelling of <see cref="ServiceVisibility"/> values (<c>config.visibility</c>), and the access rule they
/// stand for: one definition for the services a client offers and for the server's registry.
/// </summary>
public static class ServiceVisibilityNames
{
    /// <summary><c>"protected"</c>.</summary>
    public const string Protected = "protected";

    /// <summary><c>"public"</c>.</summary>
    public const string Public = "public";

    /// <summary><c>"unlisted"</c>.</summary>
    public const string Unlisted = "unlisted";

    /// <summary>Reads a wire name: exact and case-sensitive, as hypha validates it.</summary>
    public static bool TryParse(string text, out ServiceVisibility visibility)
    {
        // Ordinal and case-sensitive: hypha validates against its enum's exact values.
        (bool known, visibility) = text switch
        {
            Protected => (true, ServiceVisibility.Protected),
            Public => (true, ServiceVisibility.Public),
            Unlisted => (true, ServiceVisibility.Unlisted),
            _ => (false, ServiceVisibility.Protected),
        };
        return known;
    }

    /// <summary>The wire name of a visibility.</summary>
    public static string ToWire(ServiceVisibility visibility) => visibility switch
    {
        ServiceVisibility.Public => Public,
        ServiceVisibility.Unlisted => Unlisted,
        _ => Protected,
    };

    /// <summary>
    /// Whether a caller in <paramref name="callerWorkspace"/> may reach a service of <paramref name="ownWorkspace"/>
    /// (hypha-protocol.md 4.4): public and unlisted services are open to anyone; a protected one only to its own
    /// workspace and to <paramref name="authorizedWorkspaces"/>.
    /// </summary>
    public static bool IsReachable(ServiceVisibility visibility, string ownWorkspace, IReadOnlyList<string> authorizedWorkspaces,
        string callerWorkspace) =>
        visibility != ServiceVisibility.Protected || callerWorkspace == ownWorkspace || authorizedWorkspaces.Contains(callerWorkspace);
}
