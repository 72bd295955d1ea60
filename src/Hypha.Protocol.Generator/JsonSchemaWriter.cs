namespace Hypha.Protocol.Generator;

/// <summary>
/// The JSON schemas a typed contract advertises in <c>service_schema</c> and <c>_rschema</c>, what Python and
/// JavaScript peers (and LLM tool callers) see: a function schema <c>{name, description, parameters}</c> whose
/// parameters are a JSON Schema object, with the descriptions from the XML doc comments.
/// </summary>
internal static class JsonSchemaWriter
{
    public static string Function(string name, string? description, IEnumerable<ParameterModel> parameters)
    {
        var members = new List<KeyValuePair<string, string>> { Pair("name", JsonText.String(name)) };
        if (description is not null)
        {
            members.Add(Pair("description", JsonText.String(description)));
        }

        List<ParameterModel> all = parameters.ToList();
        members.Add(Pair("parameters", JsonText.Object(
        [
            Pair("type", JsonText.String("object")),
            Pair("properties", JsonText.Object(all.Select(p => Pair(p.WireName, Type(p.Type, p.Description, []))))),
            Pair("required", JsonText.Array(all.Where(p => p.IsRequired).Select(p => JsonText.String(p.WireName)))),
        ])));
        return JsonText.Object(members);
    }

    // A record already being described further up is described as a plain object: a recursive type has no end.
    private static string Type(TypeModel type, string? description, HashSet<TypeModel> describing)
    {
        TypeModel core = type.Underlying ?? type;
        var members = new List<KeyValuePair<string, string>>();
        switch (core.Kind)
        {
            case WireKind.Bool:
                members.Add(Pair("type", JsonText.String("boolean")));
                break;
            case WireKind.SByte or WireKind.Byte or WireKind.Int16 or WireKind.UInt16 or WireKind.Int32 or WireKind.UInt32 or WireKind.Int64 or WireKind.UInt64:
                members.Add(Pair("type", JsonText.String("integer")));
                break;
            case WireKind.Float32 or WireKind.Float64:
                members.Add(Pair("type", JsonText.String("number")));
                break;
            case WireKind.Char or WireKind.String:
                members.Add(Pair("type", JsonText.String("string")));
                break;
            case WireKind.Guid:
                members.Add(Pair("type", JsonText.String("string")));
                members.Add(Pair("format", JsonText.String("uuid")));
                break;
            case WireKind.DateTime or WireKind.DateTimeOffset:
                members.Add(Pair("type", JsonText.String("string")));
                members.Add(Pair("format", JsonText.String("date-time")));
                break;
            case WireKind.ByteArray or WireKind.ReadOnlyMemory or WireKind.Memory:
                members.Add(Pair("type", JsonText.String("string")));
                members.Add(Pair("format", JsonText.String("binary")));
                break;
            case WireKind.Enum:
                members.Add(Pair("type", JsonText.String("string")));
                members.Add(Pair("enum", JsonText.Array(core.Members.Select(m => JsonText.String(m.WireName)))));
                description ??= core.Description;
                break;
            case WireKind.Sequence:
                members.Add(Pair("type", JsonText.String("array")));
                members.Add(Pair("items", Type(core.Element!, null, describing)));
                break;
            case WireKind.Map:
                members.Add(Pair("type", JsonText.String("object")));
                members.Add(Pair("additionalProperties", Type(core.Element!, null, describing)));
                break;
            case WireKind.Record:
                members.Add(Pair("type", JsonText.String("object")));
                description ??= core.Description;
                if (describing.Add(core))
                {
                    members.Add(Pair("properties", JsonText.Object(core.Fields.Select(f => Pair(f.WireName, Type(f.Type, f.Description, describing))))));
                    members.Add(Pair("required", JsonText.Array(core.Fields.Where(f => f.Required).Select(f => JsonText.String(f.WireName)))));
                    describing.Remove(core);
                }

                break;
        }

        if (description is not null)
        {
            members.Add(Pair("description", JsonText.String(description)));
        }

        return JsonText.Object(members);
    }

    private static KeyValuePair<string, string> Pair(string key, string json) => new(key, json);
}
