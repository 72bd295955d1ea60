using Hypha.Protocol.MsgPack;

namespace Hypha.Server.Workspaces;

/// <summary>
/// Copies of ServiceInfo maps. <see cref="MsgPackMap.Clone"/> is shallow, so the nested <c>config</c> map, the
/// only nested part the server changes, is copied too; everything deeper is shared and never modified.
/// </summary>
internal static class ServiceInfoCopies
{
    /// <summary>A copy whose top level and <c>config</c> (a new empty one when absent or nil) may be changed freely.</summary>
    public static (MsgPackMap Info, MsgPackMap Config) WithOwnConfig(MsgPackMap info)
    {
        MsgPackMap copy = info.Clone();
        MsgPackMap config = copy[ServiceInfoKeys.Config].TryGetMap(out MsgPackMap? existing) ? existing.Clone() : new MsgPackMap();
        copy[ServiceInfoKeys.Config] = config;
        return (copy, config);
    }

    /// <summary>
    /// The info a caller receives. A caller outside the service's workspace (one reaching it through
    /// <c>authorized_workspaces</c>) does not see that list, as in hypha's get_service_info and list_services.
    /// </summary>
    public static MsgPackMap ForCaller(RegisteredService service, string callerWorkspace, bool asManager)
    {
        (MsgPackMap copy, MsgPackMap config) = WithOwnConfig(service.Info);
        if (!asManager && callerWorkspace != service.Workspace)
        {
            config.Remove(ServiceInfoKeys.AuthorizedWorkspaces);
        }

        return copy;
    }
}
