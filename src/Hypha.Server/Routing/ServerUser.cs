using Hypha.Protocol.MsgPack;
using Hypha.Server.Auth;

namespace Hypha.Server.Routing;

/// <summary>
/// The user stamped on messages from the workspace manager that carry none: the server's own root user, admin of
/// every workspace, as the real server's manager acts.
/// </summary>
internal static class ServerUser
{
    /// <summary>The root user's dict for a manager with id <paramref name="managerId"/>.</summary>
    public static MsgPackMap For(string managerId) => new UserInfo
    {
        Id = "root",
        Roles = ["admin"],
        Scope = new UserScope(new Dictionary<string, string> { ["*"] = WorkspacePermission.Admin }, managerId, "*", []),
    }.ToMap();
}
