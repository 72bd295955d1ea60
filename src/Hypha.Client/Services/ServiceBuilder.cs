using Hypha.Protocol.MsgPack;
using Hypha.Protocol.Objects;

namespace Hypha.Client.Services;

/// <summary>
/// Builds a service from delegates: <c>new ServiceBuilder("calc").Add("add", (int a, int b) => a + b)</c>.
/// Dotted names nest (<c>Add("math.mul", ...)</c>). A delegate may take a <see cref="Rpc.RpcContext"/> (filled when
/// the service requires context) and a <see cref="CancellationToken"/>, and may return a value, a task, or an
/// <see cref="IAsyncEnumerable{T}"/> (a generator for the caller).
/// </summary>
public sealed class ServiceBuilder
{
    private readonly string _id;
    private readonly ServiceNode _members = new();
    private readonly MsgPackMap _extraConfig = [];
    private readonly List<string> _authorized = [];
    private readonly List<string> _contextFor = [];
    private string? _name;
    private string? _description;
    private string _type = "generic";
    private ServiceVisibility _visibility = ServiceVisibility.Protected;
    private bool _requireContext;

    /// <summary>Starts a service with an id unique within this client. Ids cannot hold '.', '/', ':' or '@'.</summary>
    public ServiceBuilder(string id)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        if (id.IndexOfAny(['.', '/', ':', '@', '*']) >= 0)
        {
            throw new ArgumentException($"Service id '{id}' must not contain '.', '/', ':', '@' or '*'.", nameof(id));
        }

        _id = id;
    }

    /// <summary>Sets the display name (the id by default).</summary>
    public ServiceBuilder Name(string name)
    {
        _name = name;
        return this;
    }

    /// <summary>Sets the description.</summary>
    public ServiceBuilder Description(string description)
    {
        _description = description;
        return this;
    }

    /// <summary>Sets the service type (<c>generic</c> by default).</summary>
    public ServiceBuilder Type(string type)
    {
        ArgumentException.ThrowIfNullOrEmpty(type);
        _type = type;
        return this;
    }

    /// <summary>Sets who may call the service (protected by default).</summary>
    public ServiceBuilder Visibility(ServiceVisibility visibility)
    {
        _visibility = visibility;
        return this;
    }

    /// <summary>Makes every function receive the caller's context, or only those named.</summary>
    public ServiceBuilder RequireContext(params string[] functions)
    {
        if (functions.Length == 0)
        {
            _requireContext = true;
        }
        else
        {
            _contextFor.AddRange(functions);
        }

        return this;
    }

    /// <summary>Allows callers from other workspaces to reach a protected service.</summary>
    public ServiceBuilder AuthorizeWorkspaces(params string[] workspaces)
    {
        _authorized.AddRange(workspaces);
        return this;
    }

    /// <summary>Adds a custom config entry (sent to peers as <c>config.&lt;key&gt;</c>).</summary>
    public ServiceBuilder Config(string key, object? value)
    {
        _extraConfig.Set(key, HyphaValue.FromObject(value));
        return this;
    }

    /// <summary>Adds a function.</summary>
    public ServiceBuilder Add(string name, Delegate handler, string? description = null)
    {
        int dot = name.LastIndexOf('.');
        _members.Set(name, new LocalFunction(dot < 0 ? name : name[(dot + 1)..], handler, description));
        return this;
    }

    /// <summary>Adds a method of a typed contract (its dispatcher runs it; see <see cref="Build(Typed.TypedServiceHost)"/>).</summary>
    internal ServiceBuilder AddTyped(Typed.TypedMethod method)
    {
        _members.Set(method.WireName, method);
        return this;
    }

    /// <summary>Adds a plain value (sent with the service map, like a constant attribute).</summary>
    public ServiceBuilder AddValue(string name, object? value)
    {
        _members.Set(name, value);
        return this;
    }

    /// <summary>Builds the service.</summary>
    public LocalService Build() => Build(null);

    /// <summary>Builds the service; a typed one dispatches every call to <paramref name="typed"/>.</summary>
    internal LocalService Build(Typed.TypedServiceHost? typed)
    {
        var config = new MsgPackMap { { "visibility", ServiceVisibilityNames.ToWire(_visibility) } };
        if (_requireContext)
        {
            config.Add("require_context", true);
        }
        else if (_contextFor.Count > 0)
        {
            config.Add("require_context", _contextFor.Select(n => (MsgPackValue)n).ToArray());
        }

        if (_authorized.Count > 0)
        {
            config.Add("authorized_workspaces", _authorized.Select(n => (MsgPackValue)n).ToArray());
        }

        foreach (KeyValuePair<MsgPackValue, MsgPackValue> entry in _extraConfig)
        {
            config.Set(entry.Key.AsString(), entry.Value);
        }

        return new LocalService(_id, _name ?? _id, _description, _type, config, _members, _visibility, _requireContext,
            _contextFor.ToArray(), _authorized.ToArray()) { Typed = typed };
    }
}
