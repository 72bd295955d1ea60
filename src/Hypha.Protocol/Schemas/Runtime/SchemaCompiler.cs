namespace Hypha.Protocol.Schemas;

/// <summary>
/// Builds codecs at run time for schemas learned from a peer (its Hello, or a definition it sent): the same bytes as
/// the generated code of the same schemas, through <see cref="SchemaRecord"/>s instead of generated types.
/// </summary>
public static class SchemaCompiler
{
    /// <summary>
    /// Compiles schema <paramref name="id"/> from a definition document: one schema object, or an array of a schema
    /// and those it refers to (as <see cref="SchemaInfo.Definition"/> holds). Without <paramref name="id"/> the document
    /// must have exactly one schema that no other refers to.
    /// </summary>
    /// <exception cref="SchemaException">The document is not a valid set of schemas, or names no single top-level schema.</exception>
    public static CompiledSchema Compile(string definition, string? id = null)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var problems = new List<SchemaProblem>();
        List<SchemaDefinition> schemas = SchemaParser.ParseDocument(definition, "(definition)", problems);
        SchemaSet set = SchemaSet.Create(schemas, problems);
        if (problems.Count > 0)
        {
            throw new SchemaException(problems);
        }

        if (id is null)
        {
            string[] top = [.. set.Schemas.Keys.Where(candidate => !set.IsReferenced(candidate))];
            id = top.Length == 1
                ? top[0]
                : throw new SchemaException([new SchemaProblem(SchemaProblemCodes.BadId, "(definition)", null, null, default,
                    $"The definition holds {top.Length} top-level schemas ({string.Join(", ", top)}); name the one to compile")]);
        }

        return Compile(set, id);
    }

    /// <summary>Compiles schema <paramref name="id"/> of a valid <paramref name="set"/>, and with it every schema it refers to.</summary>
    /// <exception cref="KeyNotFoundException">The set has no such schema.</exception>
    public static CompiledSchema Compile(SchemaSet set, string id)
    {
        ArgumentNullException.ThrowIfNull(set);
        var compiled = new Dictionary<string, CompiledSchema>(StringComparer.Ordinal);
        CompiledSchema Get(string schemaId)
        {
            if (!compiled.TryGetValue(schemaId, out CompiledSchema? schema))
            {
                schema = new CompiledSchema(set, set[schemaId], Get);
                compiled[schemaId] = schema;
            }

            return schema;
        }

        return Get(id);
    }
}
