namespace Hypha.Client.Rpc;

/// <summary>
/// A service of another peer, as <c>get_service</c> returned it: its id and config, and its functions, called by
/// name (<c>"add"</c>, or a dotted path into nested levels, <c>"math.mul"</c>).
/// </summary>
public sealed class RemoteService
{
    private readonly IReadOnlyDictionary<string, object?> _members;

    internal RemoteService(IReadOnlyDictionary<string, object?> members)
    {
        _members = members;
        Id = members.TryGetValue("id", out object? id) && id is string text ? text : string.Empty;
        Name = members.TryGetValue("name", out object? name) ? name as string : null;
        Description = members.TryGetValue("description", out object? description) ? description as string : null;
        Config = members.TryGetValue("config", out object? config) && config is IReadOnlyDictionary<string, object?> map
            ? map
            : new Dictionary<string, object?>();
    }

    /// <summary>The full service id (<c>ws/client:svc</c>).</summary>
    public string Id { get; }

    /// <summary>The display name.</summary>
    public string? Name { get; }

    /// <summary>The description.</summary>
    public string? Description { get; }

    /// <summary>The service's config.</summary>
    public IReadOnlyDictionary<string, object?> Config { get; }

    /// <summary>Every member as decoded: functions are <see cref="RemoteFunction"/>s, nested levels dictionaries.</summary>
    public IReadOnlyDictionary<string, object?> Members => _members;

    /// <summary>The function at a name or dotted path.</summary>
    /// <exception cref="KeyNotFoundException">The service has no function there.</exception>
    public RemoteFunction GetFunction(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        object? member = _members;
        foreach (string part in path.Split('.'))
        {
            member = member is IReadOnlyDictionary<string, object?> level && level.TryGetValue(part, out object? next) ? next : null;
        }

        return member as RemoteFunction ?? throw new KeyNotFoundException($"Service {Id} has no function '{path}'.");
    }

    /// <summary>Calls a function with positional arguments.</summary>
    public Task<object?> InvokeAsync(string function, params object?[] args) =>
        GetFunction(function).InvokeAsync(args, null, CancellationToken.None);

    /// <summary>Calls a function with positional arguments and converts its result.</summary>
    public Task<T> InvokeAsync<T>(string function, params object?[] args) =>
        GetFunction(function).InvokeAsync<T>(args, null, CancellationToken.None);

    /// <summary>Calls a function with positional and keyword arguments (Python's <c>f(a, b=1)</c>), and converts its result.</summary>
    public Task<T> InvokeAsync<T>(string function, IReadOnlyList<object?> args, IReadOnlyDictionary<string, object?>? kwargs,
        CancellationToken cancellationToken = default) =>
        GetFunction(function).InvokeAsync<T>(args, kwargs, cancellationToken);
}
