namespace Hypha.Protocol.Schemas;

/// <summary>
/// A message of a schema known only at run time (<see cref="CompiledSchema"/>): one value per field, absent optional
/// fields null. Values are typed as the field's type says: bool, int, long, uint, ulong, float, double, string,
/// <see cref="ReadOnlyMemory{T}"/> of bytes, <see cref="MsgPack.RawMsgPack"/> for any, <c>object?[]</c> for arrays,
/// <see cref="Dictionary{TKey,TValue}"/> of string to object for maps, and <see cref="SchemaRecord"/> for references.
/// </summary>
public sealed class SchemaRecord
{
    private readonly object?[] _values;

    internal SchemaRecord(CompiledSchema schema)
    {
        Schema = schema;
        _values = new object?[schema.Definition.Fields.Count];
    }

    /// <summary>The schema this record follows.</summary>
    public CompiledSchema Schema { get; }

    /// <summary>A field's value by name, null when absent.</summary>
    /// <exception cref="KeyNotFoundException">The schema has no such field.</exception>
    /// <exception cref="ArgumentException">The value does not have the field's type, or a required field is set to null.</exception>
    public object? this[string name]
    {
        get => _values[Schema.PositionOf(name)];
        set => this[Schema.PositionOf(name)] = value;
    }

    /// <summary>A field's value by its position in index order.</summary>
    public object? this[int position]
    {
        get => _values[position];
        set
        {
            Schema.Check(position, value);
            _values[position] = value;
        }
    }

    /// <summary>True when the field is present.</summary>
    public bool Has(string name) => _values[Schema.PositionOf(name)] is not null;

    internal object? Get(int position) => _values[position];

    internal void SetUnchecked(int position, object? value) => _values[position] = value;
}
