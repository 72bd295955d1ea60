using System.Globalization;
using System.Text;

namespace Hypha.Protocol.Schemas;

/// <summary>
/// Writes schemas back as JSON in one normalised layout (fields in index order, only the properties that are set),
/// so that a schema can be taught to a peer and read back with <see cref="SchemaParser"/>.
/// </summary>
public static class SchemaDefinitionJson
{
    /// <summary>A JSON array holding schema <paramref name="id"/> and every schema it refers to, sorted by id.</summary>
    public static string WriteWithReferences(SchemaSet set, string id)
    {
        if (set is null)
        {
            throw new ArgumentNullException(nameof(set));
        }

        var ids = new SortedSet<string>(StringComparer.Ordinal) { id };
        var pending = new Stack<string>();
        pending.Push(id);
        while (pending.Count > 0)
        {
            foreach (SchemaField field in set[pending.Pop()].Fields)
            {
                for (SchemaType? type = field.Type; type is not null; type = type.Element)
                {
                    if (type.Reference is { } target && ids.Add(target))
                    {
                        pending.Push(target);
                    }
                }
            }
        }

        var json = new StringBuilder("[");
        foreach (string schemaId in ids)
        {
            if (json.Length > 1)
            {
                json.Append(',');
            }

            Write(set[schemaId], json);
        }

        return json.Append(']').ToString();
    }

    /// <summary>One schema as a JSON object.</summary>
    public static void Write(SchemaDefinition schema, StringBuilder json)
    {
        if (schema is null)
        {
            throw new ArgumentNullException(nameof(schema));
        }

        json.Append("{\"id\":");
        AppendString(json, schema.Id);
        if (schema.Description is not null)
        {
            json.Append(",\"description\":");
            AppendString(json, schema.Description);
        }

        if (schema.Open)
        {
            json.Append(",\"open\":true");
        }

        if (schema.Reserved.Count > 0)
        {
            json.Append(",\"reserved\":[").Append(string.Join(",", schema.Reserved.Select(i => i.ToString(CultureInfo.InvariantCulture)))).Append(']');
        }

        json.Append(",\"fields\":[");
        for (int i = 0; i < schema.Fields.Count; i++)
        {
            SchemaField field = schema.Fields[i];
            json.Append(i == 0 ? "{\"name\":" : ",{\"name\":");
            AppendString(json, field.Name);
            json.Append(",\"type\":");
            AppendString(json, field.Type.ToString());
            json.Append(",\"index\":").Append(field.Index.ToString(CultureInfo.InvariantCulture));
            if (field.Optional)
            {
                json.Append(",\"optional\":true");
            }

            if (field.Interned)
            {
                json.Append(",\"interned\":true");
            }

            if (field.Segment is not null)
            {
                json.Append(",\"segment\":");
                AppendString(json, field.Segment);
            }

            if (field.Description is not null)
            {
                json.Append(",\"description\":");
                AppendString(json, field.Description);
            }

            json.Append('}');
        }

        json.Append("]}");
    }

    private static void AppendString(StringBuilder json, string text)
    {
        json.Append('"');
        foreach (char c in text)
        {
            switch (c)
            {
                case '"': json.Append("\\\""); break;
                case '\\': json.Append("\\\\"); break;
                case '\n': json.Append("\\n"); break;
                case '\r': json.Append("\\r"); break;
                case '\t': json.Append("\\t"); break;
                default:
                    if (c < ' ')
                    {
                        json.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        json.Append(c);
                    }

                    break;
            }
        }

        json.Append('"');
    }
}
