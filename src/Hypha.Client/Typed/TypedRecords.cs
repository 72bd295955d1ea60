namespace Hypha.Client.Typed;

/// <summary>
/// Records in their binary form between two typed .NET peers (docs/typed-services.md, "Records in native mode"): a
/// record travels as a msgpack ext of type <see cref="ExtensionType"/> whose body is its schema-compiled binary form,
/// written and read by generated code, when the provider advertised the contract's record fingerprint under
/// <see cref="ConfigKey"/> and the caller's proxy holds the same one.
/// </summary>
public static class TypedRecords
{
    /// <summary>The msgpack ext type of a record in its binary form (ASCII <c>R</c>; 0x48 is the shared-memory placeholder).</summary>
    public const sbyte ExtensionType = 0x52;

    /// <summary>The service config key under which a typed service on a native connection advertises its contract's record fingerprint.</summary>
    public const string ConfigKey = "_records";
}
