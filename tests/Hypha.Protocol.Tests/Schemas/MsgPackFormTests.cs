using Hypha.Protocol.MsgPack;
using Hypha.Protocol.Schemas;
using Hypha.Protocol.Tests.MsgPack;

namespace Hypha.Protocol.Tests.Schemas;

/// <summary>Reading the msgpack form: open schemas skip keys they do not name, nil reads as absent, segments by place.</summary>
public sealed class MsgPackFormTests
{
    private const string Fields = """
        { "name": "a", "type": "int32", "index": 0 },
        { "name": "b", "type": "string", "index": 1, "optional": true },
        { "name": "c", "type": "any", "index": 2, "optional": true }
        """;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_key_the_schema_does_not_name_ends_a_closed_read_and_is_skipped_by_an_open_one(bool open)
    {
        CompiledSchema schema = SchemaCompiler.Compile($$"""{ "id": "s", "open": {{(open ? "true" : "false")}}, "fields": [ {{Fields}} ] }""");
        byte[] input = ((MsgPackValue)new MsgPackMap { { "a", 1 }, { "later", new MsgPackMap { { "x", new MsgPackValue[] { 1, 2 } } } }, { "b", "text" } }).ToBytes().ToArray();
        var reader = new MsgPackReader(input);

        SchemaRecord? record = schema.TryReadMsgPack(ref reader);

        if (open)
        {
            Assert.NotNull(record);
            Assert.Equal((1, "text"), ((int)record["a"]!, (string?)record["b"]));
        }
        else
        {
            Assert.Null(record);
        }
    }

    [Fact]
    public void Nil_for_an_optional_field_reads_as_absent_but_stays_a_value_for_any()
    {
        CompiledSchema schema = SchemaCompiler.Compile($$"""{ "id": "s", "fields": [ {{Fields}} ] }""");
        byte[] input = ((MsgPackValue)new MsgPackMap { { "a", 1 }, { "b", MsgPackValue.Nil }, { "c", MsgPackValue.Nil } }).ToBytes().ToArray();
        var reader = new MsgPackReader(input);

        SchemaRecord record = schema.TryReadMsgPack(ref reader)!;

        Assert.False(record.Has("b"));
        Assert.True(((RawMsgPack)record["c"]!).IsNil);
        byte[] missingRequired = ((MsgPackValue)new MsgPackMap { { "a", MsgPackValue.Nil } }).ToBytes().ToArray();
        var second = new MsgPackReader(missingRequired);
        Assert.Null(schema.TryReadMsgPack(ref second));
    }

    [Fact]
    public void Segments_are_known_by_place_so_an_empty_one_before_a_used_one_is_written()
    {
        CompiledSchema schema = SchemaCompiler.Compile("""
            { "id": "s", "fields": [
              { "name": "a", "type": "int32", "index": 0, "segment": "first" },
              { "name": "b", "type": "int32", "index": 1, "optional": true, "segment": "second" },
              { "name": "c", "type": "int32", "index": 2, "optional": true, "segment": "third" } ] }
            """);
        SchemaRecord record = schema.NewRecord();
        record["a"] = 1;
        record["c"] = 3;

        byte[] written = Bytes.Write((ref MsgPackWriter writer) => schema.WriteMsgPack(ref writer, record));

        Assert.Equal("81a16101" + "80" + "81a16303", Bytes.ToHex(written));
        var reader = new MsgPackReader(written);
        Assert.Equal(3, (int)schema.TryReadMsgPack(ref reader)!["c"]!);
        record["c"] = null;
        Assert.Equal("81a16101", Bytes.ToHex(Bytes.Write((ref MsgPackWriter writer) => schema.WriteMsgPack(ref writer, record))));
    }
}
