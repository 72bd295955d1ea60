using Hypha.Protocol.Schemas;

namespace Hypha.Protocol.Generator;

/// <summary>How schema names and types become C# names and types in generated code.</summary>
internal static class CSharpNames
{
    /// <summary>Members every generated type has, which a property may not be named after.</summary>
    private static readonly string[] ReservedMembers =
        ["Schema", "PlanInterned", "Write", "Read", "WriteMsgPack", "TryReadMsgPack", "Equals", "GetHashCode", "ToString", "GetType"];

    /// <summary>The type of a schema: its id in PascalCase, with "Message" appended when that names a member every generated type has.</summary>
    public static string TypeName(string schemaId)
    {
        string name = SchemaNames.ToPascalCase(schemaId);
        return Array.IndexOf(ReservedMembers, name) >= 0 ? name + "Message" : name;
    }

    /// <summary>
    /// The property of a field: its name in PascalCase, with "Value" appended when that would clash with the type's
    /// own name or a member every generated type has.
    /// </summary>
    public static string PropertyName(string typeName, string fieldName)
    {
        string name = SchemaNames.ToPascalCase(fieldName);
        return name == typeName || Array.IndexOf(ReservedMembers, name) >= 0 ? name + "Value" : name;
    }

    /// <summary>The C# type of a field's value (without the nullable mark of an optional field).</summary>
    public static string TypeOf(SchemaType type) => type.Kind switch
    {
        SchemaTypeKind.Bool => "bool",
        SchemaTypeKind.Int32 => "int",
        SchemaTypeKind.Int64 => "long",
        SchemaTypeKind.UInt32 => "uint",
        SchemaTypeKind.UInt64 => "ulong",
        SchemaTypeKind.Float32 => "float",
        SchemaTypeKind.Float64 => "double",
        SchemaTypeKind.String => "string",
        SchemaTypeKind.Bytes => "global::System.ReadOnlyMemory<byte>",
        SchemaTypeKind.Any => "global::Hypha.Protocol.MsgPack.RawMsgPack",
        SchemaTypeKind.Array => TypeOf(type.Element!) + "[]",
        SchemaTypeKind.Map => "global::System.Collections.Generic.Dictionary<string, " + TypeOf(type.Element!) + ">",
        _ => TypeName(type.Reference!),
    };

    /// <summary>True when the C# type is a struct: an optional field of it is a <c>Nullable&lt;T&gt;</c>.</summary>
    public static bool IsValueType(SchemaType type) => type.IsScalar || type.Kind is SchemaTypeKind.Bytes or SchemaTypeKind.Any;

    /// <summary>An expression that creates an array of <paramref name="count"/> elements of <paramref name="element"/>.</summary>
    public static string NewArray(SchemaType element, string count)
    {
        string elementType = TypeOf(element);
        int brackets = elementType.Length;
        while (brackets >= 2 && elementType.Substring(brackets - 2, 2) == "[]")
        {
            brackets -= 2;
        }

        return $"new {elementType.Substring(0, brackets)}[{count}]{elementType.Substring(brackets)}";
    }

    /// <summary>A C# verbatim string literal.</summary>
    public static string Verbatim(string text) => "@\"" + text.Replace("\"", "\"\"") + "\"";

    /// <summary>The msgpack encoding of a key (a fixstr or str8 of its UTF-8 bytes) as a C# byte collection expression.</summary>
    public static string EncodedKey(string name)
    {
        byte[] utf8 = System.Text.Encoding.UTF8.GetBytes(name);
        var bytes = new List<string>();
        if (utf8.Length < 32)
        {
            bytes.Add("0x" + (0xa0 | utf8.Length).ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
        }
        else
        {
            bytes.Add("0xd9");
            bytes.Add(utf8.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        bytes.AddRange(utf8.Select(b => b.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return "[" + string.Join(", ", bytes) + "]";
    }

    /// <summary>A UTF-8 string literal of a key.</summary>
    public static string Utf8Literal(string name) => "\"" + name + "\"u8";
}
