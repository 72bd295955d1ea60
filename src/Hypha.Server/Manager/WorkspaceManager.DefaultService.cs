using Hypha.Client.Rpc;
using Hypha.Client.Services;
using Hypha.Protocol.Messages;
using Hypha.Protocol.MsgPack;
using Hypha.Protocol.Objects;
using Hypha.Server.Routing;
using Hypha.Server.Workspaces;

namespace Hypha.Server.Manager;

public sealed partial class WorkspaceManager
{
    private LocalService BuildDefaultService(string serverId, string hyphaVersion) => new ServiceBuilder("default")
        .Name("Default workspace management service")
        .Description("Services for managing the workspace.")
        .Visibility(Hypha.Client.Services.ServiceVisibility.Public)
        .RequireContext()
        .Config("api_version", 3)
        .Config("server_id", serverId)
        .Config("hypha_version", hyphaVersion)
        .Config("public_base_url", _publicBaseUrl)
        .Config("local_base_url", _publicBaseUrl)
        .Add("echo", (object? data, RpcContext context) => data, "Return the data sent.")
        .Add("log", (object? message, RpcContext context) => { }, "Accept a log message.")
        .Add("ping", PingAsync, "Ping a client of the workspace, or the manager when none is named.")
        .Add("register_service", RegisterServiceAsync, "Register a service of the calling client.")
        .Add("unregister_service", UnregisterServiceAsync, "Unregister a service of the calling client.")
        .Add("get_service", GetServiceAsync, "Get a service by id, ready to call.")
        .Add("get_service_info", (string serviceId, Dictionary<string, object?>? config, RpcContext context) =>
            _registry.GetServiceInfo(serviceId, context.Workspace, Mode(config)), "Get the stored information of a service.")
        .Add("list_services", ListServices, "List the services the caller may see.")
        .Add("list_clients", ListClients, "List the clients of the caller's workspace.")
        .Add("subscribe", (object eventTypes, RpcContext context) => Subscribe(eventTypes, context, subscribe: true), "Receive events of these types.")
        .Add("unsubscribe", (object eventTypes, RpcContext context) => Subscribe(eventTypes, context, subscribe: false), "Stop receiving events of these types.")
        .Build();

    private async Task<object?> RegisterServiceAsync(MsgPackValue service, Dictionary<string, object?>? config, RpcContext context)
    {
        if (!service.TryGetMap(out MsgPackMap? info))
        {
            throw new ArgumentException("register_service takes a service info map.");
        }

        ConnectedCaller caller = Caller(context);
        RegisteredService? registered = _registry.Register(caller, info, out RegisteredService? replaced);
        if (registered is not null)
        {
            string type = registered.ServiceName == RpcPeer.BuiltInServiceId ? "client_connected"
                : replaced is not null ? "service_updated"
                : "service_added";
            MsgPackMap data = type == "client_connected"
                ? new MsgPackMap { { "id", caller.ClientId }, { "workspace", caller.Workspace } }
                : registered.Info.Clone();
            await _router.PublishEventAsync(caller.Workspace, type, data).ConfigureAwait(false);
        }

        return null;
    }

    private async Task<object?> UnregisterServiceAsync(string serviceId, RpcContext context)
    {
        ConnectedCaller caller = Caller(context);
        RegisteredService removed = _registry.Unregister(caller, serviceId);
        string type = removed.ServiceName == RpcPeer.BuiltInServiceId ? "client_disconnected" : "service_removed";
        MsgPackMap data = type == "client_disconnected"
            ? new MsgPackMap { { "id", caller.ClientId }, { "workspace", caller.Workspace } }
            : removed.Info.Clone();
        await _router.PublishEventAsync(caller.Workspace, type, data).ConfigureAwait(false);
        return null;
    }

    // Resolves the id, asks the provider for the service, and hands it out with every function target absolute, so
    // that the caller then talks to the provider directly and the server only routes.
    private async Task<MsgPackMap> GetServiceAsync(string serviceId, Dictionary<string, object?>? config, RpcContext context)
    {
        if (ServiceQuery.Parse(serviceId, context.Workspace) is ManagerQuery)
        {
            return _peer.EncodeService(_peer.FindService("default")!);
        }

        RegisteredService service = _registry.Resolve(serviceId, context.Workspace, Mode(config));
        string provider = $"{service.Workspace}/{service.ClientId}";
        var getService = RemoteMethod.Create(provider, "services.built-in.get_service", RemotePromiseMode.Compact);
        MsgPackValue answer = await _peer.CallRawAsync(getService, [service.ServiceName], null, null, CancellationToken.None).ConfigureAwait(false);
        if (!answer.TryGetMap(out MsgPackMap? map))
        {
            throw new RemoteException($"The provider of {service.Id} did not return a service.");
        }

        MsgPackMap result = TargetsAbsolute(map, service.Workspace);
        MsgPackMap serviceConfig = result["config"].TryGetMap(out MsgPackMap? existing) ? existing.Clone() : [];
        serviceConfig.Set("workspace", service.Workspace);
        serviceConfig.Set("url", $"{_publicBaseUrl}/{service.Workspace}/services/{service.ClientId}:{service.ServiceName}");
        result.Set("id", service.Id.ToString());
        result.Set("config", serviceConfig);
        return result;
    }

    private MsgPackValue[] ListServices(object? query = null, bool includeUnlisted = false, RpcContext? context = null) =>
        _registry.List(HyphaValue.FromObject(query), context!.Workspace, includeUnlisted).Select(info => (MsgPackValue)info).ToArray();

    private MsgPackValue[] ListClients(RpcContext context) =>
        _router.ListClients(context.Workspace)
            .Select(c => (MsgPackValue)new MsgPackMap { { "id", c.Address }, { "workspace", c.Workspace }, { "client_id", c.ClientId }, { "user", c.User } })
            .ToArray();

    private async Task<string> PingAsync(string? clientId, RpcContext context)
    {
        if (string.IsNullOrEmpty(clientId))
        {
            return "pong";
        }

        string target = clientId.Contains('/') ? clientId : $"{context.Workspace}/{clientId}";
        var ping = RemoteMethod.Create(target, "services.built-in.ping", RemotePromiseMode.Compact);
        return (await _peer.CallAsync(ping, ["ping"], null, null, CancellationToken.None).ConfigureAwait(false)) as string ?? "pong";
    }

    private bool Subscribe(object eventTypes, RpcContext context, bool subscribe)
    {
        string[] types = eventTypes switch
        {
            string single => [single],
            IEnumerable<object?> many => many.OfType<string>().ToArray(),
            _ => throw new ArgumentException("event_types must be a string or a list of strings."),
        };
        ConnectedClient client = _router.FindClient(context.From)
            ?? throw new InvalidOperationException($"Client {context.From} is not connected.");
        if (subscribe)
        {
            _router.Subscribe(client, types);
        }
        else
        {
            _router.Unsubscribe(client, types);
        }

        return true;
    }

    private static ConnectedCaller Caller(RpcContext context)
    {
        int slash = context.From.IndexOf('/');
        return new ConnectedCaller(context.Workspace, slash < 0 ? context.From : context.From[(slash + 1)..],
            context.User?["id"].TryGetString(out string? user) == true ? user : null);
    }

    private static string? Mode(Dictionary<string, object?>? config) =>
        config?.GetValueOrDefault("mode") as string;

    // A provider (JavaScript peers, for one) may describe its functions with bare client ids; the caller must get
    // addresses it can use from its own workspace.
    private static MsgPackMap TargetsAbsolute(MsgPackMap map, string workspace)
    {
        MsgPackMap copy = map.Clone();
        foreach (KeyValuePair<MsgPackValue, MsgPackValue> entry in map)
        {
            if (entry.Key.TryGetString(out string? key) && entry.Value.TryGetMap(out MsgPackMap? inner))
            {
                copy.Set(key, TargetsAbsolute(inner, workspace));
            }
        }

        if (copy[HyphaKeys.RTarget].TryGetString(out string? target))
        {
            copy.Set(HyphaKeys.RTarget, RemoteMethod.Absolute(target, workspace));
        }

        return copy;
    }
}
