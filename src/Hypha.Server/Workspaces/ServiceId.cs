using System.Diagnostics.CodeAnalysis;

namespace Hypha.Server.Workspaces;

/// <summary>
/// A concrete service id, <c>&lt;workspace&gt;/&lt;client_id&gt;:&lt;service&gt;</c> with an optional
/// <c>@&lt;app_id&gt;</c> suffix. Every part is non-empty and free of separators and wildcards.
/// </summary>
/// <param name="Workspace">The provider's workspace.</param>
/// <param name="ClientId">The provider's client id within the workspace.</param>
/// <param name="ServiceName">The service's name within the client (the key under <c>services.</c>).</param>
/// <param name="AppId">The application the service belongs to, or null.</param>
public sealed record ServiceId(string Workspace, string ClientId, string ServiceName, string? AppId = null)
{
    /// <summary>The id without the app suffix, <c>&lt;workspace&gt;/&lt;client_id&gt;:&lt;service&gt;</c>: the registry key.</summary>
    public string Key => $"{Workspace}/{ClientId}:{ServiceName}";

    /// <summary>The provider's absolute address, <c>&lt;workspace&gt;/&lt;client_id&gt;</c>.</summary>
    public string ClientAddress => $"{Workspace}/{ClientId}";

    /// <summary>Parses a full id; throws <see cref="ServiceRegistryException"/> (Invalid) naming what is wrong.</summary>
    /// <param name="text">The id, <c>ws/cid:svc</c> or <c>ws/cid:svc@app</c>.</param>
    public static ServiceId Parse(string? text) =>
        TryParse(text, out ServiceId? id, out string? error) ? id : throw ServiceRegistryException.Invalid(error);

    /// <summary>Parses a full id; false when it is malformed.</summary>
    /// <param name="text">The id, <c>ws/cid:svc</c> or <c>ws/cid:svc@app</c>.</param>
    /// <param name="id">The parsed id.</param>
    public static bool TryParse(string? text, [NotNullWhen(true)] out ServiceId? id) => TryParse(text, out id, out _);

    /// <summary>The id in full, with <c>@app_id</c> when there is one.</summary>
    public override string ToString() => AppId is null ? Key : $"{Key}@{AppId}";

    private static bool TryParse(
        string? text, [NotNullWhen(true)] out ServiceId? id, [NotNullWhen(false)] out string? error)
    {
        id = null;
        if (!ServiceIdSyntax.TrySplit(text, out ServiceIdSyntax.Parts parts, out error))
        {
            return false;
        }

        if (parts.Workspace is null || parts.ClientId is null)
        {
            error = $"Invalid service id: '{text}', it must have the form 'workspace/client_id:service_id'.";
            return false;
        }

        if (ServiceIdSyntax.HasWildcard(parts.Workspace, parts.ClientId, parts.ServiceName, parts.AppId))
        {
            error = $"Invalid service id: '{text}', a service id cannot contain '*'.";
            return false;
        }

        id = new ServiceId(parts.Workspace, parts.ClientId, parts.ServiceName, parts.AppId);
        return true;
    }
}
