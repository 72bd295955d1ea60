namespace Hypha.Server.Auth;

/// <summary>The permission levels of a workspace, as the real hypha server writes them in a user's scope.</summary>
public static class WorkspacePermission
{
    /// <summary>Read only.</summary>
    public const string Read = "r";

    /// <summary>Read and write.</summary>
    public const string ReadWrite = "rw";

    /// <summary>Administration: every right, including on the workspace itself.</summary>
    public const string Admin = "a";

    /// <summary>Tells whether <paramref name="value"/> is one of the three levels.</summary>
    public static bool IsValid(string? value) => value is Read or ReadWrite or Admin;
}
