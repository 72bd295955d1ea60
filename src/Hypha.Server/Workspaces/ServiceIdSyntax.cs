using System.Diagnostics.CodeAnalysis;

namespace Hypha.Server.Workspaces;

/// <summary>
/// Splits the id grammar shared by full ids and queries, <c>[workspace/][client_id:]service[@app_id]</c>.
/// Each separator may appear at most once and in that order (hypha asserts the same counts), and no part may be
/// empty; which parts are required, and whether <c>*</c> is allowed, is the caller's rule.
/// </summary>
internal static class ServiceIdSyntax
{
    public const char WorkspaceSeparator = '/';
    public const char ClientSeparator = ':';
    public const char AppSeparator = '@';
    public const string Wildcard = "*";

    public static bool TrySplit(string? text, out Parts parts, [NotNullWhen(false)] out string? error)
    {
        parts = default;
        if (string.IsNullOrEmpty(text))
        {
            error = "Invalid service id: it must be a non-empty string.";
            return false;
        }

        foreach (char separator in (ReadOnlySpan<char>)[WorkspaceSeparator, ClientSeparator, AppSeparator])
        {
            if (text.IndexOf(separator) != text.LastIndexOf(separator))
            {
                error = $"Invalid service id: '{text}', it must contain at most one '{separator}'.";
                return false;
            }
        }

        int slash = text.IndexOf(WorkspaceSeparator);
        int colon = text.IndexOf(ClientSeparator);
        int at = text.IndexOf(AppSeparator);
        if ((colon >= 0 && colon < slash) || (at >= 0 && (at < slash || at < colon)))
        {
            error = $"Invalid service id: '{text}', the parts must be in the order 'workspace/client_id:service_id@app_id'.";
            return false;
        }

        int nameStart = Math.Max(slash, colon) + 1;
        int nameEnd = at >= 0 ? at : text.Length;
        parts = new Parts(
            slash >= 0 ? text[..slash] : null,
            colon >= 0 ? text[(slash + 1)..colon] : null,
            text[nameStart..nameEnd],
            at >= 0 ? text[(at + 1)..] : null);
        if (parts.Workspace is "" || parts.ClientId is "" || parts.ServiceName.Length == 0 || parts.AppId is "")
        {
            error = $"Invalid service id: '{text}', the workspace, client id, service id and app id cannot be empty.";
            return false;
        }

        error = null;
        return true;
    }

    public static bool HasWildcard(params ReadOnlySpan<string?> parts)
    {
        foreach (string? part in parts)
        {
            if (part is not null && part.Contains(Wildcard, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The parts of an id; the optional ones are null when their separator is absent.</summary>
    public readonly record struct Parts(string? Workspace, string? ClientId, string ServiceName, string? AppId);
}
