using Hypha.Client.Services;
using Hypha.Protocol.MsgPack;

namespace Hypha.Server.Workspaces;

/// <summary>
/// Validates a ServiceInfo a client registers and builds the entry to store, following hypha's
/// <c>register_service</c>. Checks that need the registry's state (built-in presence, singletons) are the
/// registry's job.
/// </summary>
internal static class ServiceEntryFactory
{
    /// <summary>The entry to store, or null for a client-local service that hypha silently drops.</summary>
    public static RegisteredService? Create(ConnectedCaller caller, MsgPackMap info)
    {
        ServiceId id = ReadId(caller, info);
        MsgPackMap config = ReadConfig(info);

        // hypha-rpc's _rintf_ callback proxies and _local_only services belong in the client; older clients leak
        // them on reconnect, and hypha drops them rather than failing the registration.
        if (id.ServiceName.StartsWith(ServiceInfoKeys.InterfaceServicePrefix, StringComparison.Ordinal)
            || IsTrue(config[ServiceInfoKeys.LocalOnly]))
        {
            return null;
        }

        id = id with { AppId = ReadAppId(info, id) };
        ServiceVisibility visibility = ReadVisibility(config);
        IReadOnlyList<string> authorized = ReadAuthorizedWorkspaces(config, visibility);
        string type = OptionalString(info, ServiceInfoKeys.Type, "type") ?? ServiceInfoKeys.DefaultType;
        return new RegisteredService(
            id, visibility, authorized, type, IsTrue(config[ServiceInfoKeys.Singleton]), BuildStoredInfo(caller, info, id));
    }

    private static ServiceId ReadId(ConnectedCaller caller, MsgPackMap info)
    {
        string text = OptionalString(info, ServiceInfoKeys.Id, "id")
            ?? throw ServiceRegistryException.Invalid("The service info must have an 'id'.");

        // Clients send "<ws>/<cid>:<svc>", but hypha also accepts "<cid>:<svc>" and prefixes the caller's workspace.
        if (!text.Contains(ServiceIdSyntax.WorkspaceSeparator, StringComparison.Ordinal))
        {
            text = $"{caller.Workspace}{ServiceIdSyntax.WorkspaceSeparator}{text}";
        }

        ServiceId id = ServiceId.Parse(text);
        if (id.Workspace != caller.Workspace)
        {
            throw ServiceRegistryException.Denied(
                $"Service ID workspace prefix '{id.Workspace}' does not match the current workspace '{caller.Workspace}'. Cannot register services in other workspaces.");
        }

        if (id.ClientId != caller.ClientId)
        {
            throw ServiceRegistryException.Denied(
                $"Client '{caller.Workspace}/{caller.ClientId}' cannot register service '{id}': a client registers only its own services.");
        }

        return id;
    }

    private static MsgPackMap ReadConfig(MsgPackMap info)
    {
        MsgPackValue config = info[ServiceInfoKeys.Config];
        if (config.IsNil)
        {
            return new MsgPackMap();
        }

        return config.TryGetMap(out MsgPackMap? map)
            ? map
            : throw ServiceRegistryException.Invalid($"The service 'config' must be a map but is {config.Kind}.");
    }

    private static string? ReadAppId(MsgPackMap info, ServiceId id)
    {
        string? field = OptionalString(info, ServiceInfoKeys.AppId, "app_id");

        // "*" is how clients (and hypha's store) say "no app".
        if (field == ServiceIdSyntax.Wildcard)
        {
            field = null;
        }

        if (field is not null && id.AppId is not null && field != id.AppId)
        {
            throw ServiceRegistryException.Invalid($"App id mismatch: the id says '{id.AppId}' but app_id is '{field}'.");
        }

        string? appId = id.AppId ?? field;
        if (appId is not null && appId.AsSpan().IndexOfAny("/:@*") >= 0)
        {
            throw ServiceRegistryException.Invalid($"Invalid app id '{appId}': it cannot contain '/', ':', '@' or '*'.");
        }

        return appId;
    }

    private static ServiceVisibility ReadVisibility(MsgPackMap config)
    {
        // A JS client sends `visibility: undefined` as nil; both mean the default.
        string? text = OptionalString(config, ServiceInfoKeys.Visibility, "config.visibility");
        if (text is null)
        {
            return ServiceVisibility.Protected;
        }

        return ServiceVisibilityNames.TryParse(text, out ServiceVisibility visibility)
            ? visibility
            : throw ServiceRegistryException.Invalid(
                $"Invalid visibility '{text}': it must be '{ServiceVisibilityNames.Protected}', '{ServiceVisibilityNames.Public}' or '{ServiceVisibilityNames.Unlisted}'.");
    }

    private static IReadOnlyList<string> ReadAuthorizedWorkspaces(MsgPackMap config, ServiceVisibility visibility)
    {
        MsgPackValue value = config[ServiceInfoKeys.AuthorizedWorkspaces];
        if (value.IsNil)
        {
            return [];
        }

        // hypha rejects the list (even an empty one) on a public or unlisted service, where it would mean nothing.
        if (visibility != ServiceVisibility.Protected)
        {
            throw ServiceRegistryException.Invalid(
                $"authorized_workspaces can only be set when visibility is 'protected', got visibility='{ServiceVisibilityNames.ToWire(visibility)}'.");
        }

        if (!value.TryGetArray(out MsgPackValue[]? items))
        {
            throw ServiceRegistryException.Invalid($"config.authorized_workspaces must be a list of workspace names but is {value.Kind}.");
        }

        var workspaces = new string[items.Length];
        for (int i = 0; i < items.Length; i++)
        {
            workspaces[i] = items[i].TryGetString(out string? name)
                ? name
                : throw ServiceRegistryException.Invalid($"config.authorized_workspaces must hold strings; item {i} is {items[i].Kind}.");
        }

        return workspaces;
    }

    private static MsgPackMap BuildStoredInfo(ConnectedCaller caller, MsgPackMap info, ServiceId id)
    {
        (MsgPackMap stored, MsgPackMap config) = ServiceInfoCopies.WithOwnConfig(info);
        stored[ServiceInfoKeys.Id] = id.Key;
        stored[ServiceInfoKeys.AppId] = id.AppId ?? ServiceIdSyntax.Wildcard;
        if (!stored[ServiceInfoKeys.Name].TryGetString(out string? name) || name.Length == 0)
        {
            stored[ServiceInfoKeys.Name] = id.ServiceName;
        }

        // Overwritten, never trusted: the server, not the client, says where a service lives and who made it.
        config[ServiceInfoKeys.Workspace] = id.Workspace;
        if (caller.UserId is null)
        {
            config.Remove(ServiceInfoKeys.CreatedBy);
        }
        else
        {
            config[ServiceInfoKeys.CreatedBy] = new MsgPackMap { { ServiceInfoKeys.Id, caller.UserId } };
        }

        return stored;
    }

    private static string? OptionalString(MsgPackMap map, string key, string field)
    {
        MsgPackValue value = map[key];
        if (value.IsNil)
        {
            return null;
        }

        return value.TryGetString(out string? text)
            ? text
            : throw ServiceRegistryException.Invalid($"The service '{field}' must be a string but is {value.Kind}.");
    }

    private static bool IsTrue(MsgPackValue value) => value.Kind == MsgPackValueKind.Boolean && value.AsBoolean();
}
