using Hypha.Client.Services;

namespace Hypha.Client.Typed;

/// <summary>How one registration of a typed service differs from its contract's defaults.</summary>
public sealed record TypedServiceOptions
{
    /// <summary>The service id (the contract's <see cref="HyphaServiceAttribute.Id"/> when null).</summary>
    public string? Id { get; init; }

    /// <summary>The display name (the contract's, else the id, when null).</summary>
    public string? Name { get; init; }

    /// <summary>Who may call the service (the contract's <see cref="HyphaServiceAttribute.Visibility"/> when null).</summary>
    public ServiceVisibility? Visibility { get; init; }

    /// <summary>Other workspaces allowed to call a protected service.</summary>
    public IReadOnlyList<string> AuthorizedWorkspaces { get; init; } = [];
}
