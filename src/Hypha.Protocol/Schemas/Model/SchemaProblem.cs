namespace Hypha.Protocol.Schemas;

/// <summary>Something wrong with a schema: the file, the schema and field it concerns, where, and why.</summary>
public sealed class SchemaProblem
{
    /// <summary>Creates a problem report.</summary>
    public SchemaProblem(string code, string path, string? schemaId, string? field, SchemaLocation location, string message)
    {
        Code = code;
        Path = path;
        SchemaId = schemaId;
        Field = field;
        Location = location;
        Message = message;
    }

    /// <summary>A stable code (<c>HYS001</c>...), also the generator's diagnostic id.</summary>
    public string Code { get; }

    /// <summary>The schema file.</summary>
    public string Path { get; }

    /// <summary>The schema's id, when known.</summary>
    public string? SchemaId { get; }

    /// <summary>The field concerned, when one is.</summary>
    public string? Field { get; }

    /// <summary>Where in the file.</summary>
    public SchemaLocation Location { get; }

    /// <summary>What is wrong, naming the file and the field.</summary>
    public string Message { get; }

    /// <summary>"path(line,col): code: message".</summary>
    public override string ToString() =>
        Location.Line > 0 ? $"{Path}({Location.Line},{Location.Column}): {Code}: {Message}" : $"{Path}: {Code}: {Message}";
}
