using Hypha.Client.Services;
using Hypha.Protocol.MsgPack;
using Hypha.Protocol.Objects;

namespace Hypha.Client.Rpc;

public sealed partial class RpcPeer
{
    /// <summary>The id of the service every peer exposes (ping, get_service, message_cache).</summary>
    public const string BuiltInServiceId = "built-in";

    /// <summary>
    /// The ServiceInfo the manager's <c>register_service</c> expects for a local service: its full id
    /// <c>ws/client:svc</c>, its config (with the workspace) and the JSON schema of its functions.
    /// </summary>
    public MsgPackMap BuildServiceInfo(LocalService service)
    {
        ArgumentNullException.ThrowIfNull(service);
        MsgPackMap config = service.Config.Clone();
        config.Set("workspace", Options.Workspace);
        return new MsgPackMap
        {
            { "config", config },
            { "id", $"{LocalAddress}:{service.Id}" },
            { "name", service.Name },
            { "description", service.Description ?? string.Empty },
            { "type", service.Type },
            { "docs", MsgPackValue.Nil },
            { "app_id", "*" },
            { "service_schema", Schema(service.Members) },
        };
    }

    /// <summary>
    /// A local service as <c>get_service</c> hands it to a peer: id, name, description, type, config, and every
    /// function as a method descriptor on this peer (<c>services.&lt;id&gt;.&lt;path&gt;</c>).
    /// </summary>
    public MsgPackMap EncodeService(LocalService service)
    {
        ArgumentNullException.ThrowIfNull(service);
        var map = new MsgPackMap
        {
            { "id", service.Id },
            { "name", service.Name },
            { "description", service.Description ?? string.Empty },
            { "type", service.Type },
            { "config", service.Config.Clone() },
        };
        AddMembers(map, service.Members, $"services.{service.Id}");
        return map;
    }

    private void AddMembers(MsgPackMap map, ServiceNode node, string prefix)
    {
        foreach (KeyValuePair<string, object?> member in node.Members)
        {
            string path = $"{prefix}.{member.Key}";
            map.Set(member.Key, member.Value switch
            {
                LocalFunction function => RemoteMethod.Create(LocalAddress, path, RemotePromiseMode.Compact, Options.ServerUrl,
                    function.Name, function.Description, function.Schema),
                Typed.TypedMethod method => RemoteMethod.Create(LocalAddress, path, RemotePromiseMode.Compact, Options.ServerUrl,
                    method.WireName, method.Description, method.Schema),
                ServiceNode child => Nested(child, path),
                var value => HyphaValue.FromObject(value),
            });
        }
    }

    private MsgPackMap Nested(ServiceNode node, string prefix)
    {
        var map = new MsgPackMap();
        AddMembers(map, node, prefix);
        return map;
    }

    private static MsgPackMap Schema(ServiceNode node)
    {
        var schema = new MsgPackMap();
        foreach (KeyValuePair<string, object?> member in node.Members)
        {
            switch (member.Value)
            {
                case LocalFunction function:
                    schema.Add(member.Key, new MsgPackMap { { "type", "function" }, { "function", function.Schema } });
                    break;
                case Typed.TypedMethod method:
                    schema.Add(member.Key, new MsgPackMap { { "type", "function" }, { "function", method.Schema } });
                    break;
                case ServiceNode child:
                    schema.Add(member.Key, Schema(child));
                    break;
            }
        }

        return schema;
    }

    private LocalService BuildBuiltInService()
    {
        ServiceBuilder builtIn = new ServiceBuilder(BuiltInServiceId)
            .Name($"Built-in services for {LocalAddress}")
            .Type("built-in")
            .Visibility(ServiceVisibility.Public)
            .RequireContext()
            .Config("api_version", 3)
            .Add("ping", (string? message = null) => "pong")
            .Add("get_service", (string serviceId, RpcContext context) => GetServiceFor(serviceId, context))
            .Add("cancel", (string session, RpcContext context) => CancelCall(context.From, session));
        AddMessageCacheFunctions(builtIn);
        return builtIn.Build();
    }

    // The built-in get_service: a local service, encoded, for a caller allowed to see it.
    private MsgPackMap GetServiceFor(string serviceId, RpcContext context)
    {
        // Accept the forms peers send: "svc", "cid:svc", "ws/cid:svc", each with an optional "@app".
        string id = serviceId;
        int colon = id.LastIndexOf(':');
        if (colon >= 0)
        {
            id = id[(colon + 1)..];
        }

        int at = id.IndexOf('@');
        if (at >= 0)
        {
            id = id[..at];
        }

        LocalService service = FindService(id) ?? throw new KeyNotFoundException($"Service not found: {serviceId}");
        if (!service.Allows(context.Workspace, Options.Workspace, callerIsManager: context.From == ManagerAddress))
        {
            throw new UnauthorizedAccessException($"Permission denied for service: {serviceId}");
        }

        return EncodeService(service);
    }
}
