using Hypha.Protocol.Schemas;

namespace Hypha.Protocol.Tests.Schemas;

/// <summary>Builds schema sets from JSON text in tests.</summary>
internal static class SchemaText
{
    /// <summary>Parses and checks files given as (path, json); returns the set and every problem.</summary>
    public static (SchemaSet Set, List<SchemaProblem> Problems) Check(params (string Path, string Json)[] files)
    {
        var problems = new List<SchemaProblem>();
        var schemas = new List<SchemaDefinition>();
        foreach ((string path, string json) in files)
        {
            if (SchemaParser.Parse(json, path, problems) is { } schema)
            {
                schemas.Add(schema);
            }
        }

        return (SchemaSet.Create(schemas, problems), problems);
    }

    /// <summary>A valid set; fails the test with the problems otherwise.</summary>
    public static SchemaSet Valid(params (string Path, string Json)[] files)
    {
        (SchemaSet set, List<SchemaProblem> problems) = Check(files);
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        return set;
    }

    /// <summary>A one-schema JSON document with the given fields (each a JSON object text).</summary>
    public static string Schema(string id, params string[] fields) => $$"""{ "id": "{{id}}", "fields": [ {{string.Join(", ", fields)}} ] }""";
}
