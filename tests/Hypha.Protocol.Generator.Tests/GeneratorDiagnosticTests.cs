using Microsoft.CodeAnalysis;

namespace Hypha.Protocol.Generator.Tests;

public sealed class GeneratorDiagnosticTests
{
    [Fact]
    public void A_valid_schema_generates_a_readable_type_with_no_diagnostics()
    {
        GeneratorRun run = GeneratorRun.Start([("schemas/point.schema.json", """
            { "id": "point_2d", "description": "A <point>.", "fields": [
              { "name": "x", "type": "float64", "index": 0, "description": "Across." },
              { "name": "label", "type": "string", "index": 1, "optional": true } ] }
            """)]);

        Assert.Empty(run.Diagnostics);
        (string hint, string text) = Assert.Single(run.Sources);
        Assert.Equal("Point2d.g.cs", hint);
        Assert.Contains("namespace Test.Schemas;", text, StringComparison.Ordinal);
        Assert.Contains("public sealed partial class Point2d", text, StringComparison.Ordinal);
        Assert.Contains("/// <summary>A &lt;point&gt;.</summary>", text, StringComparison.Ordinal);
        Assert.Contains("public double X { get; set; }", text, StringComparison.Ordinal);
        Assert.Contains("public string? Label { get; set; }", text, StringComparison.Ordinal);
        Assert.DoesNotContain(run.Output.GetDiagnostics(), d => d.Severity == DiagnosticSeverity.Error);
    }

    [Theory]
    [InlineData("""{ "name": "a", "type": "int32", "index": 0 }, { "name": "b", "type": "int32", "index": 0 }""", "HYS005", "b", 1)]
    [InlineData("""{ "name": "a", "type": "strin", "index": 0 }""", "HYS008", "a", 1)]
    [InlineData("""{ "name": "a", "type": "array<>", "index": 0 }""", "HYS007", "a", 1)]
    [InlineData("""{ "name": "a", "type": "int32", "index": 0 }, { "name": "a", "type": "int32", "index": 1 }""", "HYS004", "a", 1)]
    public void A_bad_schema_is_a_compiler_error_at_its_file_and_field(string fields, string id, string field, int line)
    {
        GeneratorRun run = GeneratorRun.Start([("schemas/bad.schema.json", $$"""
            { "id": "bad", "fields": [
              {{fields.Replace("}, {", "},\n  {", StringComparison.Ordinal)}} ] }
            """)]);

        Diagnostic diagnostic = Assert.Single(run.Diagnostics);
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Equal("schemas/bad.schema.json", diagnostic.Location.GetLineSpan().Path);
        Assert.True(diagnostic.Location.GetLineSpan().StartLinePosition.Line >= line);
        Assert.Contains($"'{field}'", diagnostic.GetMessage(), StringComparison.Ordinal);
        Assert.Contains("bad.schema.json", diagnostic.GetMessage(), StringComparison.Ordinal);
        Assert.Empty(run.Sources);
    }

    [Fact]
    public void Reused_indexes_cycles_and_clashing_names_are_errors()
    {
        GeneratorRun run = GeneratorRun.Start(
        [
            ("a.schema.json", """{ "id": "a", "reserved": [2], "fields": [ { "name": "b", "type": "b", "index": 0 }, { "name": "old", "type": "int32", "index": 2 } ] }"""),
            ("b.schema.json", """{ "id": "b", "fields": [ { "name": "a", "type": "a", "index": 0 } ] }"""),
            ("c.schema.json", """{ "id": "c", "fields": [ { "name": "x_y", "type": "int32", "index": 0 }, { "name": "x__y", "type": "int32", "index": 1 } ] }"""),
        ]);

        Assert.Contains(run.Diagnostics, d => d.Id == "HYS006" && d.GetMessage().Contains("'old'", StringComparison.Ordinal));
        Assert.Empty(run.Sources);
    }

    [Fact]
    public void Fields_whose_csharp_names_clash_are_an_error()
    {
        GeneratorRun run = GeneratorRun.Start([("c.schema.json", """{ "id": "c", "fields": [ { "name": "x_y", "type": "int32", "index": 0 }, { "name": "x__y", "type": "int32", "index": 1 } ] }""")]);

        Diagnostic diagnostic = Assert.Single(run.Diagnostics);
        Assert.Equal("HYS013", diagnostic.Id);
        Assert.Contains("XY", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_cycle_of_required_references_is_an_error()
    {
        GeneratorRun run = GeneratorRun.Start(
        [
            ("a.schema.json", """{ "id": "a", "fields": [ { "name": "b", "type": "b", "index": 0 } ] }"""),
            ("b.schema.json", """{ "id": "b", "fields": [ { "name": "a", "type": "a", "index": 0 } ] }"""),
        ]);

        Diagnostic diagnostic = Assert.Single(run.Diagnostics);
        Assert.Equal("HYS009", diagnostic.Id);
    }

    [Fact]
    public void Names_of_the_generated_members_get_a_suffix_instead_of_clashing()
    {
        GeneratorRun run = GeneratorRun.Start([("s.schema.json", """{ "id": "schema", "fields": [ { "name": "schema", "type": "int32", "index": 0 }, { "name": "write", "type": "int32", "index": 1 } ] }""")]);

        Assert.Empty(run.Diagnostics);
        string text = Assert.Single(run.Sources).Text;
        Assert.Contains("public sealed partial class SchemaMessage", text, StringComparison.Ordinal);
        Assert.Contains("public int SchemaValue { get; set; }", text, StringComparison.Ordinal);
        Assert.Contains("public int WriteValue { get; set; }", text, StringComparison.Ordinal);
        Assert.DoesNotContain(run.Output.GetDiagnostics(), d => d.Severity == DiagnosticSeverity.Error);
    }
}
