namespace Hypha.Protocol.Schemas;

/// <summary>One field of a schema: its name, type, stable index and options.</summary>
public sealed class SchemaField
{
    /// <summary>Creates a field.</summary>
    /// <param name="name">The field's name ([a-z][a-z0-9_]*): its key in the msgpack form.</param>
    /// <param name="type">Its type.</param>
    /// <param name="index">Its stable index: the binary form orders fields by it, and it is never reused.</param>
    /// <param name="optional">True when the field may be absent (a presence bit in the binary form).</param>
    /// <param name="interned">True when repeated values travel as an id of the connection's intern table.</param>
    /// <param name="segment">The msgpack map this field belongs to in the msgpack form (null: the first).</param>
    /// <param name="description">What the field means (documentation only).</param>
    public SchemaField(string name, SchemaType type, int index, bool optional = false, bool interned = false, string? segment = null,
        string? description = null)
    {
        Name = name ?? throw new ArgumentNullException(nameof(name));
        Type = type ?? throw new ArgumentNullException(nameof(type));
        Index = index;
        Optional = optional;
        Interned = interned;
        Segment = segment;
        Description = description;
    }

    /// <summary>The field's name.</summary>
    public string Name { get; }

    /// <summary>The field's type.</summary>
    public SchemaType Type { get; }

    /// <summary>The field's stable index.</summary>
    public int Index { get; }

    /// <summary>True when the field may be absent.</summary>
    public bool Optional { get; }

    /// <summary>True when values go through the connection's intern table.</summary>
    public bool Interned { get; }

    /// <summary>The msgpack-form segment, or null for the first.</summary>
    public string? Segment { get; }

    /// <summary>Documentation.</summary>
    public string? Description { get; }

    /// <summary>Where the field is declared in its file (1-based line and column; 0 when unknown).</summary>
    public SchemaLocation Location { get; set; }
}
