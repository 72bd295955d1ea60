using Hypha.Protocol.MsgPack;

namespace Hypha.Client.Services;

/// <summary>A service this peer offers: its identity, its config and its members. Build one with <see cref="ServiceBuilder"/>.</summary>
public sealed class LocalService
{
    internal LocalService(string id, string name, string? description, string type, MsgPackMap config, ServiceNode members,
        ServiceVisibility visibility, bool requireContext, IReadOnlyList<string> requireContextFor, IReadOnlyList<string> authorizedWorkspaces)
    {
        Id = id;
        Name = name;
        Description = description;
        Type = type;
        Config = config;
        Members = members;
        Visibility = visibility;
        RequireContext = requireContext;
        RequireContextFor = requireContextFor;
        AuthorizedWorkspaces = authorizedWorkspaces;
    }

    /// <summary>The service id within this client (<c>calc</c>; the server knows it as <c>ws/client:calc</c>).</summary>
    public string Id { get; }

    /// <summary>The display name.</summary>
    public string Name { get; }

    /// <summary>What the service does.</summary>
    public string? Description { get; }

    /// <summary>The service type (<c>generic</c> unless set).</summary>
    public string Type { get; }

    /// <summary>The config map sent to peers (visibility, require_context and any custom keys).</summary>
    public MsgPackMap Config { get; }

    /// <summary>
    /// For a service built from a typed contract, what runs its calls (the generated dispatcher); null for a service
    /// of delegates. Its <see cref="Members"/> then hold the contract's <see cref="Typed.TypedMethod"/>s.
    /// </summary>
    internal Typed.TypedServiceHost? Typed { get; init; }

    /// <summary>The functions (<see cref="LocalFunction"/>, or <see cref="Typed.TypedMethod"/> for a typed service), nested levels and values.</summary>
    public ServiceNode Members { get; }

    /// <summary>Who may call the service.</summary>
    public ServiceVisibility Visibility { get; }

    /// <summary>True when every function receives the caller's context.</summary>
    public bool RequireContext { get; }

    /// <summary>The functions that receive the caller's context when <see cref="RequireContext"/> is false.</summary>
    public IReadOnlyList<string> RequireContextFor { get; }

    /// <summary>Other workspaces allowed to call a protected service.</summary>
    public IReadOnlyList<string> AuthorizedWorkspaces { get; }

    /// <summary>Whether a caller in <paramref name="callerWorkspace"/> may call this service, which lives in
    /// <paramref name="ownWorkspace"/> (the manager may always call).</summary>
    public bool Allows(string callerWorkspace, string ownWorkspace, bool callerIsManager) =>
        callerIsManager || ServiceVisibilityNames.IsReachable(Visibility, ownWorkspace, AuthorizedWorkspaces, callerWorkspace);

    /// <summary>Whether the function at <paramref name="path"/> receives the caller's context.</summary>
    public bool RequiresContext(ReadOnlySpan<char> path)
    {
        if (RequireContext)
        {
            return true;
        }

        foreach (string function in RequireContextFor)
        {
            if (path.SequenceEqual(function))
            {
                return true;
            }
        }

        return false;
    }
}
