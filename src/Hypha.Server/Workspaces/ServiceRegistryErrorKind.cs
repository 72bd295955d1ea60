namespace Hypha.Server.Workspaces;

/// <summary>
/// Why a service-registry operation failed. The workspace manager maps each kind to the remote error hypha peers
/// expect (hypha raises <c>KeyError</c>, <c>PermissionError</c>, <c>ValueError</c> or <c>AssertionError</c>).
/// </summary>
public enum ServiceRegistryErrorKind
{
    /// <summary>No registered service matches the id or query (hypha: <c>KeyError</c>).</summary>
    NotFound,

    /// <summary>The caller may not see or change the service (hypha: <c>PermissionError</c>).</summary>
    PermissionDenied,

    /// <summary>A malformed id, query, mode or service info (hypha: <c>ValueError</c> / <c>AssertionError</c>).</summary>
    Invalid,

    /// <summary>Mode <c>exact</c> matched several services (hypha: <c>AssertionError</c>).</summary>
    Ambiguous,

    /// <summary>A singleton service clashes with another service of the same name (hypha: <c>ValueError</c>).</summary>
    Conflict,
}
