using Hypha.Client.Services;

namespace Hypha.Server.Workspaces;

/// <summary>The wire spelling of <see cref="ServiceVisibility"/> values.</summary>
internal static class ServiceVisibilityNames
{
    public const string Protected = "protected";
    public const string Public = "public";
    public const string Unlisted = "unlisted";

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

    public static string ToWire(ServiceVisibility visibility) => visibility switch
    {
        ServiceVisibility.Public => Public,
        ServiceVisibility.Unlisted => Unlisted,
        _ => Protected,
    };
}
