using System.Buffers;
using System.Reflection;
using System.Runtime.Loader;
using System.Text;
using Hypha.Protocol.MsgPack;
using Hypha.Protocol.Schemas;

namespace Hypha.Protocol.Generator.Tests;

/// <summary>
/// On random schemas, the code the generator emits and the codecs <see cref="SchemaCompiler"/> builds at run time
/// write the same bytes, in the binary form (with interning, message after message) and in the msgpack form, and
/// each reads what the other wrote.
/// </summary>
public sealed class GeneratedMatchesRuntimeTests
{
    private const int SchemaSets = 30;
    private const int MessagesPerSchema = 60;

    [Fact]
    public void Generated_and_runtime_codecs_agree_byte_for_byte_on_random_schemas()
    {
        var random = new Random(2024);
        for (int round = 0; round < SchemaSets; round++)
        {
            List<(string Path, string Json)> files = RandomSchemas.Create(random, $"r{round}");
            SchemaSet set = SchemaSet.CreateValid(files.Select(file =>
            {
                var problems = new List<SchemaProblem>();
                return SchemaParser.Parse(file.Json, file.Path, problems) ?? throw new SchemaException(problems);
            }).ToList());
            string[] typeNames = set.Schemas.Keys.Select(SchemaNames.ToPascalCase).ToArray();
            GeneratorRun run = GeneratorRun.Start(files, Harness(typeNames));
            Assert.Empty(run.Diagnostics);

            var context = new AssemblyLoadContext($"round{round}", isCollectible: true);
            try
            {
                Type harness = run.Load(context).GetType("Test.Schemas.Harness")!;
                foreach (SchemaDefinition schema in set.Schemas.Values)
                {
                    Check(set, schema, harness, random, string.Join("\n", files.Select(f => f.Json)));
                }
            }
            finally
            {
                context.Unload();
            }
        }
    }

    private static void Check(SchemaSet set, SchemaDefinition schema, Type harness, Random random, string context)
    {
        var compiled = new Dictionary<string, CompiledSchema>();
        CompiledSchema Compiled(string id) => compiled.TryGetValue(id, out CompiledSchema? found) ? found : compiled[id] = SchemaCompiler.Compile(set, id);
        CompiledSchema runtime = Compiled(schema.Id);
        string type = SchemaNames.ToPascalCase(schema.Id);
        MethodInfo reencode = harness.GetMethod("Reencode" + type)!;
        MethodInfo toMsgPack = harness.GetMethod("ToMsgPack" + type)!;
        MethodInfo fromMsgPack = harness.GetMethod("FromMsgPack" + type)!;
        Assert.Equal(set.Fingerprint(schema.Id), ((SchemaInfo)harness.GetMethod("Info" + type)!.Invoke(null, null)!).Fingerprint);

        var runtimeTable = new InternSendTable();
        for (int i = 0; i < MessagesPerSchema; i++)
        {
            SchemaRecord record = RandomRecords.Create(runtime, Compiled, random);

            // Binary, with interning: the generated side decodes what the runtime wrote and writes it again
            // through its own table, which has seen the same values in the same order.
            var message = new ArrayBufferWriter<byte>();
            runtime.WriteMessage(message, 1, record, runtimeTable);
            byte[] again = (byte[])reencode.Invoke(null, [message.WrittenSpan.ToArray()])!;
            Assert.True(message.WrittenSpan.SequenceEqual(again), $"binary differs for {schema.Id}\n{context}");

            // msgpack: the same bytes both ways, and each side reads the other's.
            byte[] plain = Plain(runtime, record);
            var runtimeMsgPack = new ArrayBufferWriter<byte>();
            var writer = new MsgPackWriter(runtimeMsgPack);
            runtime.WriteMsgPack(ref writer, record);
            writer.Flush();
            byte[] generatedMsgPack = (byte[])toMsgPack.Invoke(null, [plain])!;
            Assert.True(runtimeMsgPack.WrittenSpan.SequenceEqual(generatedMsgPack), $"msgpack differs for {schema.Id}\n{context}");
            Assert.True(plain.AsSpan().SequenceEqual((byte[])fromMsgPack.Invoke(null, [generatedMsgPack])!), $"msgpack read differs for {schema.Id}\n{context}");
            var reader = new MsgPackReader(generatedMsgPack);
            SchemaRecord? back = runtime.TryReadMsgPack(ref reader);
            Assert.NotNull(back);
            Assert.True(plain.AsSpan().SequenceEqual(Plain(runtime, back)), $"runtime msgpack read differs for {schema.Id}\n{context}");
        }
    }

    // The body alone, without interning: what both sides must agree on for a given record.
    private static byte[] Plain(CompiledSchema schema, SchemaRecord record)
    {
        var output = new ArrayBufferWriter<byte>();
        var writer = new SchemaWriter(output);
        schema.Write(ref writer, record);
        writer.Flush();
        return output.WrittenSpan.ToArray();
    }

    // Byte-array entry points into the generated code, which reflection can call (its codecs take ref structs).
    private static string Harness(IEnumerable<string> types)
    {
        var code = new StringBuilder("""
            #nullable enable
            using System.Buffers;
            using Hypha.Protocol.MsgPack;
            using Hypha.Protocol.Schemas;
            namespace Test.Schemas;
            public static class Harness
            {
            """);
        foreach (string type in types)
        {
            code.Append($$"""

                private static readonly InternReceiveTable Received{{type}} = new();
                private static readonly InternSendTable Sent{{type}} = new();
                public static SchemaInfo Info{{type}}() => {{type}}.Schema;
                public static byte[] Reencode{{type}}(byte[] message)
                {
                    var reader = new SchemaReader(message, Received{{type}});
                    int number = SchemaMessage.ReadHeader(ref reader);
                    {{type}} value = SchemaMessage.ReadBody<{{type}}>(ref reader);
                    var output = new ArrayBufferWriter<byte>();
                    SchemaMessage.Write(output, number, value, Sent{{type}});
                    return output.WrittenSpan.ToArray();
                }
                public static byte[] ToMsgPack{{type}}(byte[] body)
                {
                    var reader = new SchemaReader(body);
                    {{type}} value = {{type}}.Read(ref reader);
                    reader.ExpectEnd();
                    var output = new ArrayBufferWriter<byte>();
                    var writer = new MsgPackWriter(output);
                    {{type}}.WriteMsgPack(ref writer, value);
                    writer.Flush();
                    return output.WrittenSpan.ToArray();
                }
                public static byte[] FromMsgPack{{type}}(byte[] msgPack)
                {
                    var reader = new MsgPackReader(msgPack);
                    {{type}} value = {{type}}.TryReadMsgPack(ref reader) ?? throw new System.InvalidOperationException("not of the schema's shape");
                    var output = new ArrayBufferWriter<byte>();
                    var writer = new SchemaWriter(output);
                    {{type}}.Write(ref writer, value);
                    writer.Flush();
                    return output.WrittenSpan.ToArray();
                }

                """);
        }

        return code.Append('}').ToString();
    }
}
