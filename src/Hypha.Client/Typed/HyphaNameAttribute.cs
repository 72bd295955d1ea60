namespace Hypha.Client.Typed;

/// <summary>
/// The name a member of a typed service has on the wire, instead of the one derived from its C# name (a method's
/// name in snake_case without its <c>Async</c> suffix, a parameter's or property's in snake_case, an enum member's
/// as written).
/// </summary>
/// <param name="name">The wire name.</param>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Parameter | AttributeTargets.Property | AttributeTargets.Field, Inherited = false)]
public sealed class HyphaNameAttribute(string name) : Attribute
{
    /// <summary>The wire name.</summary>
    public string Name { get; } = name;
}
