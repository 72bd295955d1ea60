using Hypha.Protocol.MsgPack;
using Hypha.Server.Workspaces;

namespace Hypha.Server.Tests.Workspaces;

/// <summary>Builds ServiceInfo maps shaped like the ones hypha clients send, and connects clients to a registry.</summary>
internal static class ServiceInfos
{
    public static MsgPackMap Info(
        string id,
        string? visibility = null,
        string[]? authorizedWorkspaces = null,
        string? type = null,
        string? appId = null,
        bool singleton = false,
        string? name = null)
    {
        var config = new MsgPackMap();
        if (visibility is not null)
        {
            config["visibility"] = visibility;
        }

        if (authorizedWorkspaces is not null)
        {
            config["authorized_workspaces"] = authorizedWorkspaces.Select(w => (MsgPackValue)w).ToArray();
        }

        if (singleton)
        {
            config["singleton"] = true;
        }

        var info = new MsgPackMap { { "id", id } };
        if (name is not null)
        {
            info["name"] = name;
        }

        if (type is not null)
        {
            info["type"] = type;
        }

        if (appId is not null)
        {
            info["app_id"] = appId;
        }

        info["config"] = config;
        return info;
    }

    /// <summary>Registers a client's <c>built-in</c> service, which every client does first on connecting.</summary>
    public static ConnectedCaller Connect(ServiceRegistry registry, string workspace, string clientId)
    {
        var caller = new ConnectedCaller(workspace, clientId, "user-" + clientId);
        MsgPackMap builtIn = Info($"{workspace}/{clientId}:built-in", visibility: "public", type: "built-in");
        Assert.NotNull(registry.Register(caller, builtIn));
        return caller;
    }

    /// <summary>Connects a client and registers one service for it.</summary>
    public static RegisteredService Provide(
        ServiceRegistry registry, string workspace, string clientId, string service, string? visibility = null, string[]? authorizedWorkspaces = null, string? type = null)
    {
        // Re-registering built-in only replaces it in place, so connecting again is harmless.
        ConnectedCaller caller = Connect(registry, workspace, clientId);
        RegisteredService? entry = registry.Register(
            caller, Info($"{workspace}/{clientId}:{service}", visibility, authorizedWorkspaces, type));
        Assert.NotNull(entry);
        return entry;
    }

    public static string Id(MsgPackMap info) => info["id"].AsString();

    public static List<string> Ids(IEnumerable<MsgPackMap> infos) => infos.Select(Id).ToList();

    /// <summary>Asserts that an action fails with a registry error of this kind.</summary>
    public static ServiceRegistryException AssertFails(ServiceRegistryErrorKind kind, Func<object?> action)
    {
        var error = Assert.Throws<ServiceRegistryException>(action);
        Assert.Equal(kind, error.Kind);
        return error;
    }
}
