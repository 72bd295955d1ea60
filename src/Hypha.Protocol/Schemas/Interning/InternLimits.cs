namespace Hypha.Protocol.Schemas;

/// <summary>
/// The fixed bounds of an intern table (docs/schema-language.md, "Interning"): both sides of a connection use the
/// same numbers, so a receiver's memory for interned values is bounded whatever its peer sends.
/// </summary>
public static class InternLimits
{
    /// <summary>The number of slots in one table.</summary>
    public const int Capacity = 1024;

    /// <summary>The largest value, in bytes (UTF-8 for text, encoded msgpack for any), that may be interned.</summary>
    public const int MaxEntryBytes = 512;
}
