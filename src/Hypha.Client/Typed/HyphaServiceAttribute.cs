using Hypha.Client.Services;

namespace Hypha.Client.Typed;

/// <summary>
/// Marks an interface as a hypha service contract. The generator that ships with Hypha.Client then emits, next to
/// the interface, a client proxy and a server dispatcher for it (docs/typed-services.md):
/// <c>client.RegisterServiceAsync&lt;ICalc&gt;(impl)</c> serves an implementation, and
/// <c>client.GetServiceAsync&lt;ICalc&gt;(id)</c> returns a proxy, in hypha and native mode alike.
/// </summary>
/// <param name="id">The service id a registration uses unless told otherwise (no '.', '/', ':', '@' or '*').</param>
[AttributeUsage(AttributeTargets.Interface, Inherited = false)]
public sealed class HyphaServiceAttribute(string id) : Attribute
{
    /// <summary>The default service id.</summary>
    public string Id { get; } = id;

    /// <summary>The display name (the id when not set).</summary>
    public string? Name { get; set; }

    /// <summary>What the service does; the interface's XML doc summary when not set.</summary>
    public string? Description { get; set; }

    /// <summary>Who may call the service (protected when not set).</summary>
    public ServiceVisibility Visibility { get; set; } = ServiceVisibility.Protected;
}
