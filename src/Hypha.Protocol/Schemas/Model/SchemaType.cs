namespace Hypha.Protocol.Schemas;

/// <summary>
/// A field type of the schema language: a scalar, <c>string</c>, <c>bytes</c>, <c>any</c>, <c>array&lt;T&gt;</c>,
/// <c>map&lt;string,T&gt;</c>, or the id of another schema. Immutable; its <see cref="ToString"/> is the canonical spelling.
/// </summary>
public sealed class SchemaType
{
    private static readonly string[] ScalarNames =
    [
        "bool", "int32", "int64", "uint32", "uint64", "float32", "float64", "string", "bytes", "any",
    ];

    private static readonly SchemaTypeKind[] ScalarKinds =
    [
        SchemaTypeKind.Bool, SchemaTypeKind.Int32, SchemaTypeKind.Int64, SchemaTypeKind.UInt32, SchemaTypeKind.UInt64,
        SchemaTypeKind.Float32, SchemaTypeKind.Float64, SchemaTypeKind.String, SchemaTypeKind.Bytes, SchemaTypeKind.Any,
    ];

    private SchemaType(SchemaTypeKind kind, SchemaType? element, string? reference)
    {
        Kind = kind;
        Element = element;
        Reference = reference;
    }

    /// <summary>What kind of type this is.</summary>
    public SchemaTypeKind Kind { get; }

    /// <summary>The element type of an array, or the value type of a map; null otherwise.</summary>
    public SchemaType? Element { get; }

    /// <summary>The id of the referenced schema, for <see cref="SchemaTypeKind.Reference"/>; null otherwise.</summary>
    public string? Reference { get; }

    /// <summary>True for the fixed-size and varint kinds (bool, integers, floats).</summary>
    public bool IsScalar => Kind <= SchemaTypeKind.Float64;

    /// <summary>True when <paramref name="name"/> is a built-in type name, which no schema id may take.</summary>
    public static bool IsBuiltInName(string name) => Array.IndexOf(ScalarNames, name) >= 0 || name == "array" || name == "map";

    /// <summary>A scalar, string, bytes or any type.</summary>
    public static SchemaType Of(SchemaTypeKind kind)
    {
        if (kind is SchemaTypeKind.Array or SchemaTypeKind.Map or SchemaTypeKind.Reference)
        {
            throw new ArgumentException("Arrays, maps and references need their element or target.", nameof(kind));
        }

        return new SchemaType(kind, null, null);
    }

    /// <summary><c>array&lt;element&gt;</c>.</summary>
    public static SchemaType ArrayOf(SchemaType element) => new(SchemaTypeKind.Array, element ?? throw new ArgumentNullException(nameof(element)), null);

    /// <summary><c>map&lt;string,value&gt;</c>.</summary>
    public static SchemaType MapOf(SchemaType value) => new(SchemaTypeKind.Map, value ?? throw new ArgumentNullException(nameof(value)), null);

    /// <summary>A reference to the schema <paramref name="id"/>.</summary>
    public static SchemaType ReferenceTo(string id) => new(SchemaTypeKind.Reference, null, id ?? throw new ArgumentNullException(nameof(id)));

    /// <summary>
    /// Parses a type's text (<c>int32</c>, <c>array&lt;map&lt;string,any&gt;&gt;</c>, <c>hello</c>, ...); whitespace is
    /// ignored. Returns null with <paramref name="problem"/> set when the text is not a type.
    /// </summary>
    public static SchemaType? TryParse(string text, out string? problem)
    {
        string compact = text.Replace(" ", string.Empty).Replace("\t", string.Empty);
        int position = 0;
        SchemaType? type = ParseAt(compact, ref position, out problem);
        if (type is not null && position != compact.Length)
        {
            problem = $"unexpected '{compact.Substring(position)}' after the type";
            return null;
        }

        return type;
    }

    /// <summary>The canonical spelling: no spaces, <c>map&lt;string,T&gt;</c>.</summary>
    public override string ToString() => Kind switch
    {
        SchemaTypeKind.Array => "array<" + Element + ">",
        SchemaTypeKind.Map => "map<string," + Element + ">",
        SchemaTypeKind.Reference => Reference!,
        _ => ScalarNames[Array.IndexOf(ScalarKinds, Kind)],
    };

    private static SchemaType? ParseAt(string text, ref int position, out string? problem)
    {
        int start = position;
        while (position < text.Length && (char.IsLetterOrDigit(text[position]) || text[position] == '_'))
        {
            position++;
        }

        string name = text.Substring(start, position - start);
        problem = null;
        if (name.Length == 0)
        {
            problem = "a type name is missing";
            return null;
        }

        int scalar = Array.IndexOf(ScalarNames, name);
        if (scalar >= 0)
        {
            return new SchemaType(ScalarKinds[scalar], null, null);
        }

        if (name is "array" or "map")
        {
            if (!Expect(text, ref position, '<', out problem))
            {
                return null;
            }

            if (name == "map")
            {
                int keyStart = position;
                SchemaType? key = ParseAt(text, ref position, out problem);
                if (key is null)
                {
                    return null;
                }

                if (key.Kind != SchemaTypeKind.String)
                {
                    problem = $"map keys must be string, not '{text.Substring(keyStart, position - keyStart)}'";
                    return null;
                }

                if (!Expect(text, ref position, ',', out problem))
                {
                    return null;
                }
            }

            SchemaType? element = ParseAt(text, ref position, out problem);
            if (element is null || !Expect(text, ref position, '>', out problem))
            {
                return null;
            }

            return name == "array" ? ArrayOf(element) : MapOf(element);
        }

        return SchemaNames.IsIdentifier(name)
            ? ReferenceTo(name)
            : Fail($"'{name}' is not a type: use a built-in type or a schema id ([a-z][a-z0-9_]*)", out problem);
    }

    private static bool Expect(string text, ref int position, char expected, out string? problem)
    {
        if (position < text.Length && text[position] == expected)
        {
            position++;
            problem = null;
            return true;
        }

        problem = $"expected '{expected}' at column {position + 1} of the type";
        return false;
    }

    private static SchemaType? Fail(string message, out string? problem)
    {
        problem = message;
        return null;
    }
}
