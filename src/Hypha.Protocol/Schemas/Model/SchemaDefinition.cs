namespace Hypha.Protocol.Schemas;

/// <summary>One schema: an id, its fields in index order, and the indexes retired from earlier versions.</summary>
public sealed class SchemaDefinition
{
    /// <summary>Creates a schema; the fields are kept in index order.</summary>
    public SchemaDefinition(string id, IEnumerable<SchemaField> fields, IEnumerable<int>? reserved = null, string? description = null,
        string path = "", bool open = false)
    {
        Id = id ?? throw new ArgumentNullException(nameof(id));
        Open = open;
        Fields = fields.OrderBy(field => field.Index).ToArray();
        Reserved = (reserved ?? []).OrderBy(index => index).ToArray();
        Description = description;
        Path = path;
    }

    /// <summary>The schema's id ([a-z][a-z0-9_]*), also its name in references.</summary>
    public string Id { get; }

    /// <summary>The fields, in index order.</summary>
    public IReadOnlyList<SchemaField> Fields { get; }

    /// <summary>Indexes that earlier versions used and that no field may take again.</summary>
    public IReadOnlyList<int> Reserved { get; }

    /// <summary>Documentation.</summary>
    public string? Description { get; }

    /// <summary>
    /// True when a reader of the msgpack form ignores keys the schema does not name (a control message that later
    /// versions extend); false when such a key means the message is not of this schema's shape.
    /// </summary>
    public bool Open { get; }

    /// <summary>The file the schema came from (empty for one built in code).</summary>
    public string Path { get; }

    /// <summary>Where the id is declared in its file.</summary>
    public SchemaLocation Location { get; set; }

    /// <summary>The optional fields, in index order: their presence bits, in that order.</summary>
    public IEnumerable<SchemaField> OptionalFields => Fields.Where(candidate => candidate.Optional);

    /// <summary>The msgpack-form segments in order of first appearance (null for the unnamed first one).</summary>
    public IReadOnlyList<string?> Segments
    {
        get
        {
            var segments = new List<string?>();
            foreach (SchemaField member in Fields)
            {
                if (!segments.Contains(member.Segment))
                {
                    segments.Add(member.Segment);
                }
            }

            return segments;
        }
    }
}
