using System.Text.Json;

namespace Hypha.Bench.Harness;

/// <summary>Writes the rows as the JSON array of <c>{scenario, case, metric, value, unit}</c> objects.</summary>
internal static class JsonReport
{
    public static void Write(string path, IReadOnlyList<ResultRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        string? directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        using FileStream file = File.Create(path);
        using var json = new Utf8JsonWriter(file, new JsonWriterOptions { Indented = true });
        json.WriteStartArray();
        foreach (ResultRow row in rows)
        {
            json.WriteStartObject();
            json.WriteString("scenario", row.Scenario);
            json.WriteString("case", row.Case);
            json.WriteString("metric", row.Metric);
            json.WriteNumber("value", row.Value);
            json.WriteString("unit", row.Unit);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }
}
