using Hypha.Protocol.Schemas;

namespace Hypha.Protocol.Tests.Schemas;

public sealed class SchemaLanguageTests
{
    [Fact]
    public void A_schema_reads_with_its_fields_in_index_order_and_their_options()
    {
        SchemaSet set = SchemaText.Valid(("a.schema.json", """
            {
              "id": "point",
              "description": "A point.",
              "reserved": [3],
              "fields": [
                { "name": "tags", "type": "map< string , array<string> >", "index": 4, "optional": true },
                { "name": "x", "type": "float64", "index": 0, "interned": false },
                { "name": "label", "type": "string", "index": 1, "interned": true, "segment": "extra" }
              ]
            }
            """));

        SchemaDefinition point = set["point"];
        Assert.Equal(["x", "label", "tags"], point.Fields.Select(f => f.Name));
        Assert.Equal("map<string,array<string>>", point.Fields[2].Type.ToString());
        Assert.True(point.Fields[2].Optional);
        Assert.True(point.Fields[1].Interned);
        Assert.Equal("extra", point.Fields[1].Segment);
        Assert.Equal([3], point.Reserved);
        Assert.Equal([7, 8, 6], point.Fields.Select(f => f.Location.Line));
    }

    [Theory]
    [InlineData("""{ "name": "a", "type": "int32", "index": 0 }, { "name": "a", "type": "int32", "index": 1 }""", SchemaProblemCodes.DuplicateName, "'a'")]
    [InlineData("""{ "name": "a", "type": "int32", "index": 0 }, { "name": "b", "type": "int32", "index": 0 }""", SchemaProblemCodes.DuplicateIndex, "field 'b'")]
    [InlineData("""{ "name": "a", "type": "int33", "index": 0 }""", SchemaProblemCodes.BadReference, "field 'a'")]
    [InlineData("""{ "name": "a", "type": "array<int32", "index": 0 }""", SchemaProblemCodes.UnknownType, "field 'a'")]
    [InlineData("""{ "name": "a", "type": "map<int32,int32>", "index": 0 }""", SchemaProblemCodes.UnknownType, "field 'a'")]
    [InlineData("""{ "name": "a", "type": "Int32", "index": 0 }""", SchemaProblemCodes.UnknownType, "field 'a'")]
    [InlineData("""{ "name": "a", "type": "int32", "index": -1 }""", SchemaProblemCodes.BadField, "field 'a'")]
    [InlineData("""{ "name": "a", "type": "int32", "index": 1.5 }""", SchemaProblemCodes.BadField, "field 'a'")]
    [InlineData("""{ "name": "A", "type": "int32", "index": 0 }""", SchemaProblemCodes.BadField, "name")]
    [InlineData("""{ "name": "a", "type": "int32", "index": 0, "optinal": true }""", SchemaProblemCodes.UnknownProperty, "optinal")]
    [InlineData("""{ "name": "a", "type": "int32", "index": 0, "interned": true }""", SchemaProblemCodes.BadOption, "field 'a'")]
    [InlineData("""{ "name": "a", "type": "int32", "index": 0, "optional": "yes" }""", SchemaProblemCodes.BadField, "field 'a'")]
    public void Each_bad_field_is_reported_with_its_code_file_and_field(string fields, string code, string mentions)
    {
        (_, List<SchemaProblem> problems) = SchemaText.Check(("bad.schema.json", SchemaText.Schema("s", fields)));

        SchemaProblem problem = Assert.Single(problems, p => p.Code == code);
        Assert.Contains("bad.schema.json", problem.Message, StringComparison.Ordinal);
        Assert.Contains(mentions, problem.Message, StringComparison.Ordinal);
        Assert.True(problem.Location.Line > 0, "the problem has a line");
    }

    [Fact]
    public void A_reserved_index_is_never_reused()
    {
        (_, List<SchemaProblem> problems) = SchemaText.Check(("v2.schema.json", """
            { "id": "s", "reserved": [1], "fields": [ { "name": "a", "type": "int32", "index": 0 }, { "name": "b", "type": "string", "index": 1 } ] }
            """));

        SchemaProblem problem = Assert.Single(problems);
        Assert.Equal(SchemaProblemCodes.ReusedIndex, problem.Code);
        Assert.Equal("b", problem.Field);
        Assert.Contains("v2.schema.json", problem.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1, 2]")]
    [InlineData("""{ "fields": [] }""")]
    [InlineData("""{ "id": "int32", "fields": [ { "name": "a", "type": "int32", "index": 0 } ] }""")]
    [InlineData("""{ "id": "s", "fields": [] }""")]
    [InlineData("""{ "id": "s", "id": "t", "fields": [] }""")]
    public void A_file_that_is_not_a_schema_is_reported(string json)
    {
        (_, List<SchemaProblem> problems) = SchemaText.Check(("odd.schema.json", json));

        Assert.NotEmpty(problems);
        Assert.All(problems, p => Assert.Contains("odd.schema.json", p.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void References_must_resolve_and_ids_must_be_unique()
    {
        (_, List<SchemaProblem> problems) = SchemaText.Check(
            ("a.schema.json", SchemaText.Schema("a", """{ "name": "b", "type": "array<missing>", "index": 0 }""")),
            ("b.schema.json", SchemaText.Schema("a", """{ "name": "x", "type": "int32", "index": 0 }""")));

        Assert.Contains(problems, p => p.Code == SchemaProblemCodes.DuplicateId && p.Path == "b.schema.json");
        Assert.Contains(problems, p => p.Code == SchemaProblemCodes.BadReference && p.Field == "b" && p.Message.Contains("'missing'", StringComparison.Ordinal));
    }

    [Fact]
    public void A_cycle_of_required_references_is_an_error_naming_the_route()
    {
        (_, List<SchemaProblem> problems) = SchemaText.Check(
            ("a.schema.json", SchemaText.Schema("a", """{ "name": "next", "type": "b", "index": 0 }""")),
            ("b.schema.json", SchemaText.Schema("b", """{ "name": "back", "type": "a", "index": 0 }""")));

        SchemaProblem problem = Assert.Single(problems);
        Assert.Equal(SchemaProblemCodes.RequiredCycle, problem.Code);
        Assert.Contains("a.next -> b.back", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "name": "back", "type": "a", "index": 0, "optional": true }""")]
    [InlineData("""{ "name": "back", "type": "array<a>", "index": 0 }""")]
    [InlineData("""{ "name": "back", "type": "map<string,a>", "index": 0 }""")]
    public void A_cycle_broken_by_an_optional_field_or_a_collection_is_fine(string back)
    {
        SchemaText.Valid(
            ("a.schema.json", SchemaText.Schema("a", """{ "name": "next", "type": "b", "index": 0 }""")),
            ("b.schema.json", SchemaText.Schema("b", back)));
    }

    [Fact]
    public void Only_a_top_level_schema_may_intern_or_name_segments()
    {
        (_, List<SchemaProblem> problems) = SchemaText.Check(
            ("outer.schema.json", SchemaText.Schema("outer", """{ "name": "inner", "type": "inner", "index": 0 }""")),
            ("inner.schema.json", SchemaText.Schema("inner", """{ "name": "name", "type": "string", "index": 0, "interned": true }""")));

        SchemaProblem problem = Assert.Single(problems);
        Assert.Equal(SchemaProblemCodes.BadOption, problem.Code);
        Assert.Equal("inner.schema.json", problem.Path);
    }

    [Fact]
    public void The_fingerprint_ignores_layout_and_descriptions_but_not_meaning()
    {
        string baseline = Fingerprint("""{ "id": "s", "fields": [ { "name": "a", "type": "int32", "index": 0 }, { "name": "b", "type": "string", "index": 1, "optional": true } ] }""");

        Assert.Equal(baseline, Fingerprint("""
            { "description": "docs", "id": "s", "fields": [
              { "index": 1, "name": "b", "type": "string", "optional": true, "description": "x" },
              { "name": "a", "type": " int32 ", "index": 0, "optional": false } ] }
            """));
        Assert.NotEqual(baseline, Fingerprint("""{ "id": "s", "fields": [ { "name": "a", "type": "int64", "index": 0 }, { "name": "b", "type": "string", "index": 1, "optional": true } ] }"""));
        Assert.NotEqual(baseline, Fingerprint("""{ "id": "s", "fields": [ { "name": "a", "type": "int32", "index": 0 }, { "name": "b", "type": "string", "index": 1 } ] }"""));
        Assert.NotEqual(baseline, Fingerprint("""{ "id": "s", "fields": [ { "name": "a", "type": "int32", "index": 0 }, { "name": "c", "type": "string", "index": 1, "optional": true } ] }"""));
        Assert.NotEqual(baseline, Fingerprint("""{ "id": "s", "fields": [ { "name": "a", "type": "int32", "index": 0 }, { "name": "b", "type": "string", "index": 2, "optional": true } ] }"""));
        Assert.NotEqual(baseline, Fingerprint("""{ "id": "s", "fields": [ { "name": "a", "type": "int32", "index": 0 }, { "name": "b", "type": "string", "index": 1, "optional": true, "interned": true } ] }"""));
        Assert.Equal(16, baseline.Length);
    }

    [Fact]
    public void A_referenced_schema_is_part_of_the_fingerprint()
    {
        string Outer(string innerType) => SchemaText.Valid(
            ("o.schema.json", SchemaText.Schema("outer", """{ "name": "inner", "type": "inner", "index": 0 }""")),
            ("i.schema.json", SchemaText.Schema("inner", $$"""{ "name": "v", "type": "{{innerType}}", "index": 0 }"""))).Fingerprint("outer");

        Assert.NotEqual(Outer("int32"), Outer("int64"));
    }

    [Fact]
    public void A_definition_written_back_reads_as_the_same_schema()
    {
        SchemaSet set = SchemaText.Valid(
            ("o.schema.json", """{ "id": "outer", "description": "say \"hi\"\n", "reserved": [7], "fields": [ { "name": "inner", "type": "array<inner>", "index": 0, "optional": true, "segment": "main" } ] }"""),
            ("i.schema.json", SchemaText.Schema("inner", """{ "name": "v", "type": "map<string,bytes>", "index": 2, "description": "\u00e9" }""")));

        string json = SchemaDefinitionJson.WriteWithReferences(set, "outer");
        var problems = new List<SchemaProblem>();
        SchemaSet back = SchemaSet.Create(SchemaParser.ParseDocument(json, "taught", problems), problems);

        Assert.Empty(problems);
        Assert.Equal(set.CanonicalText("outer"), back.CanonicalText("outer"));
        Assert.Equal("say \"hi\"\n", back["outer"].Description);
        Assert.Equal("\u00e9", back["inner"].Fields[0].Description);
    }

    private static string Fingerprint(string json) => SchemaText.Valid(("s.schema.json", json)).Fingerprint("s");
}
