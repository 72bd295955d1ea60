using System.Security.Cryptography;
using System.Text;

namespace Hypha.Protocol.Schemas;

/// <summary>
/// Schemas that may refer to each other, checked together: unique ids, references that resolve, no cycle of
/// required references, <c>interned</c> and <c>segment</c> only in top-level schemas. A valid set gives each schema
/// its canonical text and fingerprint (docs/schema-language.md, "Fingerprints").
/// </summary>
public sealed class SchemaSet
{
    /// <summary>The most interned fields one schema may have.</summary>
    public const int MaxInternedFields = 16;

    private readonly Dictionary<string, SchemaDefinition> _schemas = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _fingerprints = new(StringComparer.Ordinal);

    private SchemaSet(IEnumerable<SchemaDefinition> schemas, List<SchemaProblem> problems)
    {
        foreach (SchemaDefinition schema in schemas)
        {
            if (_schemas.TryGetValue(schema.Id, out SchemaDefinition? first))
            {
                problems.Add(new SchemaProblem(SchemaProblemCodes.DuplicateId, schema.Path, schema.Id, null, schema.Location,
                    $"{schema.Path}: schema id '{schema.Id}' is already defined in {first.Path}"));
                continue;
            }

            _schemas.Add(schema.Id, schema);
        }
    }

    /// <summary>The schemas, by id.</summary>
    public IReadOnlyDictionary<string, SchemaDefinition> Schemas => _schemas;

    /// <summary>
    /// Checks <paramref name="schemas"/> together and adds what is wrong to <paramref name="problems"/>. The set is
    /// usable (fingerprints, codecs) only when nothing was added.
    /// </summary>
    public static SchemaSet Create(IEnumerable<SchemaDefinition> schemas, List<SchemaProblem> problems)
    {
        if (schemas is null)
        {
            throw new ArgumentNullException(nameof(schemas));
        }

        if (problems is null)
        {
            throw new ArgumentNullException(nameof(problems));
        }

        int before = problems.Count;
        var set = new SchemaSet(schemas, problems);
        set.CheckReferences(problems);
        if (problems.Count == before)
        {
            set.CheckTopLevelOptions(problems);
            set.CheckRequiredCycles(problems);
        }

        return set;
    }

    /// <summary>Checks and returns a set, or throws with every problem when it is not valid.</summary>
    /// <exception cref="SchemaException">The schemas are not valid together.</exception>
    public static SchemaSet CreateValid(IEnumerable<SchemaDefinition> schemas)
    {
        var problems = new List<SchemaProblem>();
        SchemaSet set = Create(schemas, problems);
        return problems.Count == 0 ? set : throw new SchemaException(problems);
    }

    /// <summary>The schema <paramref name="id"/>.</summary>
    /// <exception cref="KeyNotFoundException">No such schema.</exception>
    public SchemaDefinition this[string id] => _schemas[id];

    /// <summary>
    /// The canonical text of schema <paramref name="id"/>: its fields and those of every schema it reaches, sorted
    /// by id, without descriptions. Two peers hash this text to compare schemas.
    /// </summary>
    public string CanonicalText(string id)
    {
        var reached = new SortedSet<string>(StringComparer.Ordinal);
        Reach(id, reached);
        var text = new StringBuilder();
        foreach (string schemaId in reached)
        {
            if (text.Length > 0)
            {
                text.Append('\n');
            }

            AppendCanonical(_schemas[schemaId], text);
        }

        return text.ToString();
    }

    /// <summary>The fingerprint of schema <paramref name="id"/>: the first 8 bytes of SHA-256 over its canonical text, in lowercase hex.</summary>
    public string Fingerprint(string id)
    {
        if (_fingerprints.TryGetValue(id, out string? known))
        {
            return known;
        }

        string fingerprint = FingerprintOf(CanonicalText(id));
        _fingerprints[id] = fingerprint;
        return fingerprint;
    }

    /// <summary>
    /// The fingerprint of a canonical text: the first 8 bytes of its UTF-8 SHA-256, as 16 lowercase hex digits (schemas,
    /// and the record shapes of typed contracts).
    /// </summary>
    public static string FingerprintOf(string canonicalText)
    {
        byte[] hash;
        using (SHA256 sha = SHA256.Create())
        {
            hash = sha.ComputeHash(Encoding.UTF8.GetBytes(canonicalText));
        }

        var hex = new StringBuilder(16);
        for (int i = 0; i < 8; i++)
        {
            hex.Append(hash[i].ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
        }

        return hex.ToString();
    }

    /// <summary>True when some other schema of the set refers to <paramref name="id"/>.</summary>
    public bool IsReferenced(string id) =>
        _schemas.Values.Any(schema => schema.Id != id && schema.Fields.Any(field => RefersTo(field.Type, id)));

    private static void AppendCanonical(SchemaDefinition schema, StringBuilder text)
    {
        text.Append(schema.Id).Append(schema.Open ? "*{" : "{");
        foreach (SchemaField field in schema.Fields)
        {
            text.Append(field.Index.ToString(System.Globalization.CultureInfo.InvariantCulture))
                .Append('=').Append(field.Name).Append(':').Append(field.Type);
            if (field.Optional)
            {
                text.Append('?');
            }

            if (field.Interned)
            {
                text.Append('!');
            }

            if (field.Segment is not null)
            {
                text.Append('@').Append(field.Segment);
            }

            text.Append(';');
        }

        text.Append('}');
    }

    private static bool RefersTo(SchemaType type, string id) =>
        type.Kind == SchemaTypeKind.Reference ? type.Reference == id : type.Element is not null && RefersTo(type.Element, id);

    private static string? ReferenceIn(SchemaType type) =>
        type.Kind == SchemaTypeKind.Reference ? type.Reference : type.Element is null ? null : ReferenceIn(type.Element);

    private void Reach(string id, SortedSet<string> reached)
    {
        if (!reached.Add(id))
        {
            return;
        }

        foreach (SchemaField field in _schemas[id].Fields)
        {
            if (ReferenceIn(field.Type) is { } target)
            {
                Reach(target, reached);
            }
        }
    }

    private void CheckReferences(List<SchemaProblem> problems)
    {
        foreach (SchemaDefinition schema in _schemas.Values)
        {
            foreach (SchemaField field in schema.Fields)
            {
                if (ReferenceIn(field.Type) is { } target && !_schemas.ContainsKey(target))
                {
                    problems.Add(new SchemaProblem(SchemaProblemCodes.BadReference, schema.Path, schema.Id, field.Name, field.Location,
                        $"{schema.Path}: schema '{schema.Id}': field '{field.Name}' refers to schema '{target}', which does not exist"));
                }
            }
        }
    }

    // Interning and msgpack segments are properties of a whole message, so only a schema that no other includes may use them.
    private void CheckTopLevelOptions(List<SchemaProblem> problems)
    {
        foreach (SchemaDefinition schema in _schemas.Values)
        {
            bool referenced = IsReferenced(schema.Id);
            int interned = 0;
            foreach (SchemaField field in schema.Fields)
            {
                interned += field.Interned ? 1 : 0;
                if (referenced && (field.Interned || field.Segment is not null))
                {
                    problems.Add(new SchemaProblem(SchemaProblemCodes.BadOption, schema.Path, schema.Id, field.Name, field.Location,
                        $"{schema.Path}: schema '{schema.Id}': field '{field.Name}' is interned or has a segment, but other schemas refer to '{schema.Id}': only a top-level message may intern or name segments"));
                }
            }

            if (interned > MaxInternedFields)
            {
                problems.Add(new SchemaProblem(SchemaProblemCodes.BadOption, schema.Path, schema.Id, null, schema.Location,
                    $"{schema.Path}: schema '{schema.Id}' interns {interned} fields; at most {MaxInternedFields} may be interned"));
            }
        }
    }

    // A required field whose type is a reference must hold a value, so a cycle of such fields has no finite value.
    // Optional fields, arrays and maps (which may be empty) end a cycle.
    private void CheckRequiredCycles(List<SchemaProblem> problems)
    {
        var done = new HashSet<string>(StringComparer.Ordinal);
        foreach (string id in _schemas.Keys.OrderBy(id => id, StringComparer.Ordinal))
        {
            var path = new List<(string Schema, SchemaField Field)>();
            if (FindCycle(id, path, done) is { } cycle)
            {
                (string schemaId, SchemaField field) = cycle[0];
                SchemaDefinition schema = _schemas[schemaId];
                string route = string.Join(" -> ", cycle.Select(step => $"{step.Schema}.{step.Field.Name}"));
                problems.Add(new SchemaProblem(SchemaProblemCodes.RequiredCycle, schema.Path, schemaId, field.Name, field.Location,
                    $"{schema.Path}: schema '{schemaId}': field '{field.Name}' closes a cycle of required references ({route}); make one of them optional"));
                return;
            }
        }
    }

    private List<(string Schema, SchemaField Field)>? FindCycle(string id, List<(string Schema, SchemaField Field)> path, HashSet<string> done)
    {
        if (done.Contains(id))
        {
            return null;
        }

        int start = path.FindIndex(step => step.Schema == id);
        if (start >= 0)
        {
            return path.GetRange(start, path.Count - start);
        }

        foreach (SchemaField field in _schemas[id].Fields)
        {
            if (!field.Optional && field.Type.Kind == SchemaTypeKind.Reference)
            {
                path.Add((id, field));
                if (FindCycle(field.Type.Reference!, path, done) is { } cycle)
                {
                    return cycle;
                }

                path.RemoveAt(path.Count - 1);
            }
        }

        done.Add(id);
        return null;
    }
}
