namespace Hypha.Protocol.Schemas;

/// <summary>
/// Reads one schema file (docs/schema-language.md) into a <see cref="SchemaDefinition"/>, reporting every problem
/// it can see in that file alone. Problems that need the other schemas (references, cycles) are
/// <see cref="SchemaSet"/>'s.
/// </summary>
public static class SchemaParser
{
    /// <summary>The largest index a field may have.</summary>
    public const int MaxIndex = 65535;

    private static readonly string[] SchemaProperties = ["id", "description", "fields", "reserved", "open"];
    private static readonly string[] FieldProperties = ["name", "type", "index", "optional", "interned", "segment", "description"];

    /// <summary>
    /// Parses a document that holds one schema object or an array of them (as a schema's taught definition
    /// does); schemas that cannot be read at all are left out, with their problems reported.
    /// </summary>
    public static List<SchemaDefinition> ParseDocument(string text, string path, List<SchemaProblem> problems)
    {
        if (problems is null)
        {
            throw new ArgumentNullException(nameof(problems));
        }

        var schemas = new List<SchemaDefinition>();
        JsonNode root;
        try
        {
            root = SchemaJson.Parse(text);
        }
        catch (FormatException ex)
        {
            problems.Add(new SchemaProblem(SchemaProblemCodes.NotASchema, path, null, null, default, $"{path} is not valid JSON: {ex.Message}"));
            return schemas;
        }

        foreach (JsonNode node in root.Kind == JsonKind.Array ? root.Items : [root])
        {
            if (Parse(node, path, problems) is { } schema)
            {
                schemas.Add(schema);
            }
        }

        return schemas;
    }

    /// <summary>Parses <paramref name="text"/>; the result is null when the file cannot be read as a schema at all.</summary>
    public static SchemaDefinition? Parse(string text, string path, List<SchemaProblem> problems)
    {
        if (problems is null)
        {
            throw new ArgumentNullException(nameof(problems));
        }

        JsonNode root;
        try
        {
            root = SchemaJson.Parse(text);
        }
        catch (FormatException ex)
        {
            problems.Add(new SchemaProblem(SchemaProblemCodes.NotASchema, path, null, null, default, $"{path} is not valid JSON: {ex.Message}"));
            return null;
        }

        return Parse(root, path, problems);
    }

    private static SchemaDefinition? Parse(JsonNode root, string path, List<SchemaProblem> problems)
    {
        if (root.Kind != JsonKind.Object)
        {
            problems.Add(new SchemaProblem(SchemaProblemCodes.NotASchema, path, null, null, root.Location, $"{path}: a schema is a JSON object"));
            return null;
        }

        JsonNode? idNode = root["id"];
        string? id = idNode?.Kind == JsonKind.String ? idNode.Text : null;
        if (id is null || !SchemaNames.IsIdentifier(id) || SchemaType.IsBuiltInName(id))
        {
            problems.Add(new SchemaProblem(SchemaProblemCodes.BadId, path, id, null, (idNode ?? root).Location,
                $"{path}: the schema needs an \"id\" of the form [a-z][a-z0-9_]* that is not a built-in type name"));
            return null;
        }

        var context = new Context(path, id, problems);
        context.CheckProperties(root, SchemaProperties, "the schema");
        List<int> reserved = ReadReserved(root["reserved"], context);
        JsonNode? fieldsNode = root["fields"];
        if (fieldsNode is null || fieldsNode.Kind != JsonKind.Array || fieldsNode.Items.Count == 0)
        {
            context.Report(SchemaProblemCodes.BadField, null, (fieldsNode ?? root).Location, "needs a non-empty \"fields\" array");
            return null;
        }

        var fields = new List<SchemaField>();
        foreach (JsonNode node in fieldsNode.Items)
        {
            if (ReadField(node, context) is { } field)
            {
                CheckAgainstOthers(field, fields, reserved, context);
                fields.Add(field);
            }
        }

        JsonNode? description = root["description"];
        JsonNode? open = root["open"];
        if (open is not null && open.Kind is not (JsonKind.True or JsonKind.False))
        {
            context.Report(SchemaProblemCodes.BadField, null, open.Location, "\"open\" must be true or false");
        }

        return new SchemaDefinition(id, fields, reserved, description?.Kind == JsonKind.String ? description.Text : null, path, open?.Kind == JsonKind.True)
        {
            Location = idNode!.Location,
        };
    }

    private static List<int> ReadReserved(JsonNode? node, Context context)
    {
        var reserved = new List<int>();
        if (node is null)
        {
            return reserved;
        }

        if (node.Kind != JsonKind.Array)
        {
            context.Report(SchemaProblemCodes.BadField, null, node.Location, "\"reserved\" must be an array of indexes");
            return reserved;
        }

        foreach (JsonNode item in node.Items)
        {
            if (!IsIndex(item))
            {
                context.Report(SchemaProblemCodes.BadField, null, item.Location, $"\"reserved\" holds indexes from 0 to {MaxIndex}");
            }
            else if (reserved.Contains((int)item.Number))
            {
                context.Report(SchemaProblemCodes.DuplicateIndex, null, item.Location, $"index {(int)item.Number} is reserved twice");
            }
            else
            {
                reserved.Add((int)item.Number);
            }
        }

        return reserved;
    }

    private static SchemaField? ReadField(JsonNode node, Context context)
    {
        if (node.Kind != JsonKind.Object)
        {
            context.Report(SchemaProblemCodes.BadField, null, node.Location, "each field is a JSON object");
            return null;
        }

        JsonNode? nameNode = node["name"];
        string? name = nameNode?.Kind == JsonKind.String ? nameNode.Text : null;
        if (name is null || !SchemaNames.IsIdentifier(name))
        {
            context.Report(SchemaProblemCodes.BadField, name, (nameNode ?? node).Location, "a field needs a \"name\" of the form [a-z][a-z0-9_]*");
            return null;
        }

        context.CheckProperties(node, FieldProperties, $"field '{name}'");
        JsonNode? indexNode = node["index"];
        if (indexNode is null || !IsIndex(indexNode))
        {
            context.Report(SchemaProblemCodes.BadField, name, (indexNode ?? node).Location, $"field '{name}' needs an \"index\" from 0 to {MaxIndex}");
            return null;
        }

        JsonNode? typeNode = node["type"];
        if (typeNode is null || typeNode.Kind != JsonKind.String)
        {
            context.Report(SchemaProblemCodes.BadField, name, (typeNode ?? node).Location, $"field '{name}' needs a \"type\" string");
            return null;
        }

        SchemaType? type = SchemaType.TryParse(typeNode.Text!, out string? problem);
        if (type is null)
        {
            context.Report(SchemaProblemCodes.UnknownType, name, typeNode.Location, $"field '{name}' has an unknown type \"{typeNode.Text}\": {problem}");
            return null;
        }

        bool optional = ReadFlag(node, "optional", name, context);
        bool interned = ReadFlag(node, "interned", name, context);
        if (interned && type.Kind is not (SchemaTypeKind.String or SchemaTypeKind.Any))
        {
            context.Report(SchemaProblemCodes.BadOption, name, node["interned"]!.Location, $"field '{name}': only string and any fields can be interned");
            interned = false;
        }

        JsonNode? segmentNode = node["segment"];
        string? segment = null;
        if (segmentNode is not null)
        {
            if (segmentNode.Kind == JsonKind.String && SchemaNames.IsIdentifier(segmentNode.Text!))
            {
                segment = segmentNode.Text;
            }
            else
            {
                context.Report(SchemaProblemCodes.BadOption, name, segmentNode.Location, $"field '{name}': \"segment\" is a name of the form [a-z][a-z0-9_]*");
            }
        }

        JsonNode? description = node["description"];
        return new SchemaField(name, type, (int)indexNode.Number, optional, interned, segment,
            description?.Kind == JsonKind.String ? description.Text : null)
        {
            Location = nameNode!.Location,
        };
    }

    private static void CheckAgainstOthers(SchemaField field, List<SchemaField> fields, List<int> reserved, Context context)
    {
        foreach (SchemaField other in fields)
        {
            if (other.Name == field.Name)
            {
                context.Report(SchemaProblemCodes.DuplicateName, field.Name, field.Location, $"two fields are named '{field.Name}'");
            }

            if (other.Index == field.Index)
            {
                context.Report(SchemaProblemCodes.DuplicateIndex, field.Name, field.Location,
                    $"field '{field.Name}' has index {field.Index}, which field '{other.Name}' already has");
            }
        }

        if (reserved.Contains(field.Index))
        {
            context.Report(SchemaProblemCodes.ReusedIndex, field.Name, field.Location,
                $"field '{field.Name}' reuses index {field.Index}, which is reserved: an index is never given to another field");
        }
    }

    private static bool ReadFlag(JsonNode field, string key, string name, Context context)
    {
        JsonNode? node = field[key];
        if (node is null)
        {
            return false;
        }

        if (node.Kind is JsonKind.True or JsonKind.False)
        {
            return node.Kind == JsonKind.True;
        }

        context.Report(SchemaProblemCodes.BadField, name, node.Location, $"field '{name}': \"{key}\" must be true or false");
        return false;
    }

    private static bool IsIndex(JsonNode node) =>
        node.Kind == JsonKind.Number && node.Number >= 0 && node.Number <= MaxIndex && node.Number == Math.Floor(node.Number);

    private sealed class Context(string path, string id, List<SchemaProblem> problems)
    {
        public void Report(string code, string? field, SchemaLocation location, string message) =>
            problems.Add(new SchemaProblem(code, path, id, field, location, $"{path}: schema '{id}': {message}"));

        public void CheckProperties(JsonNode node, string[] known, string what)
        {
            foreach (KeyValuePair<string, JsonNode> property in node.Properties)
            {
                if (Array.IndexOf(known, property.Key) < 0)
                {
                    Report(SchemaProblemCodes.UnknownProperty, null, property.Value.Location,
                        $"{what} has an unknown property \"{property.Key}\" (known: {string.Join(", ", known)})");
                }
            }
        }
    }
}
