using System.Buffers;
using Hypha.Protocol.Buffers;
using Hypha.Protocol.Messages;
using Hypha.Protocol.MsgPack;
using Hypha.Protocol.Schemas;
using Hypha.Protocol.Tests.Messages;
using Hypha.Protocol.Tests.MsgPack;

namespace Hypha.Protocol.Tests.Schemas;

/// <summary>The generated codecs of the built-in schemas, against the runtime compiler and against real hypha frames.</summary>
public sealed class BuiltInCodecTests
{
    public static TheoryData<string> GoldenNames => new(GoldenFrames.Names);

    [Fact]
    public void The_runtime_compiler_writes_the_same_bytes_as_the_generated_code()
    {
        CompiledSchema runtime = SchemaCompiler.Compile(RpcMethodV4.Schema.Definition);
        var generatedTable = new InternSendTable();
        var runtimeTable = new InternSendTable();
        Assert.Equal(RpcMethodV4.Schema.Fingerprint, runtime.Info.Fingerprint);

        foreach (RpcMethodV4 message in RpcMethodSamples.Random(2000, seed: 11))
        {
            var generated = new ArrayBufferWriter<byte>();
            SchemaMessage.Write(generated, 3, message, generatedTable);
            SchemaRecord record = ToRecord(runtime, message);
            var compiled = new ArrayBufferWriter<byte>();
            runtime.WriteMessage(compiled, 3, record, runtimeTable);

            Assert.Equal(Bytes.ToHex(generated.WrittenSpan), Bytes.ToHex(compiled.WrittenSpan));
            Assert.Equal(Bytes.ToHex(MsgPackOf(message)), Bytes.ToHex(MsgPackOf(runtime, record)));
        }
    }

    [Fact]
    public void Every_built_in_schema_has_the_fingerprint_the_runtime_computes()
    {
        foreach (SchemaInfo info in new[] { RpcMethodV4.Schema, NativeHello.Schema, NativeHelloAck.Schema, NativeWindows.Schema, SchemaOffer.Schema })
        {
            Assert.Equal(info.Fingerprint, SchemaCompiler.Compile(info.Definition, info.Id).Info.Fingerprint);
        }
    }

    [Fact]
    public void Messages_survive_both_forms_with_every_field_present_or_absent()
    {
        var sender = new InternSendTable();
        var receiver = new InternReceiveTable();
        foreach (RpcMethodV4 message in RpcMethodSamples.Random(1000, seed: 3))
        {
            SchemaReader reader = BodyOf(message, sender, receiver);
            RpcMethodV4 fromBinary = SchemaMessage.ReadBody<RpcMethodV4>(ref reader);

            byte[] frame = MsgPackOf(message);
            var msgPack = new MsgPackReader(frame);
            RpcMethodV4 fromMsgPack = RpcMethodV4.TryReadMsgPack(ref msgPack)!;

            Assert.True(msgPack.End);
            Assert.Equal(Bytes.ToHex(frame), Bytes.ToHex(MsgPackOf(fromBinary)));
            Assert.Equal(Bytes.ToHex(frame), Bytes.ToHex(MsgPackOf(fromMsgPack)));
        }
    }

    [Fact]
    public void Reading_into_one_instance_message_after_message_keeps_nothing_of_the_previous_one()
    {
        // Random messages leave fields out at random, so a field the previous message had and this one lacks is met
        // often: the reused instance must read as a fresh one every time.
        var sender = new InternSendTable();
        var receiver = new InternReceiveTable();
        var reused = new RpcMethodV4();
        foreach (RpcMethodV4 message in RpcMethodSamples.Random(1000, seed: 17))
        {
            SchemaReader reader = BodyOf(message, sender, receiver);
            RpcMethodV4.Read(ref reader, reused);
            reader.ExpectEnd();

            Assert.Equal(Bytes.ToHex(MsgPackOf(message)), Bytes.ToHex(MsgPackOf(reused)));
        }
    }

    [Theory]
    [MemberData(nameof(GoldenNames))]
    public void A_frame_of_the_npm_client_reads_and_writes_back_byte_for_byte(string name)
    {
        byte[] frame = GoldenFrames.Bytes(name);
        var reader = new MsgPackReader(frame);

        RpcMethodV4? message = RpcMethodV4.TryReadMsgPack(ref reader);

        Assert.NotNull(message);
        Assert.True(reader.End);
        Assert.Equal(Bytes.ToHex(frame), Bytes.ToHex(MsgPackOf(message)));
        HyphaFrame decoded = HyphaFrame.Decode(frame);
        Assert.Equal(decoded.Envelope.Method, message.Method);
        Assert.Equal(decoded.Envelope.Session, message.Session);
    }

    [Fact]
    public void The_msgpack_form_is_the_frame_our_hypha_encoder_writes()
    {
        HyphaEnvelope main = HyphaEnvelope.CreateCall("ws-1/a", "ws-2/b", "services.s1.add", session: "s9", parent: "p1");
        HyphaCall extra = HyphaCall.Create([1, "x"], new MsgPackMap { { "k", true } }, new CompactPromise(15));
        var expected = new ArrayBufferWriter<byte>();
        HyphaFrame.Write(expected, main.Main, extra.Extra);

        var reader = new MsgPackReader(expected.WrittenMemory);
        RpcMethodV4 message = RpcMethodV4.TryReadMsgPack(ref reader)!;

        Assert.Equal(Bytes.ToHex(expected.WrittenSpan), Bytes.ToHex(MsgPackOf(message)));
        Assert.True(message.WithKwargs);
        Assert.Equal("p1", message.Parent);
    }

    [Theory]
    [InlineData("81 a4 74 79 70 65 01")]
    [InlineData("81 a4 66 72 6f 6d a1 61")]
    [InlineData("82 a4 74 79 70 65 a1 6d a7 75 6e 6b 6e 6f 77 6e c0")]
    [InlineData("82 a4 74 79 70 65 a1 6d a4 61 72 67 73 90")]
    [InlineData("82 a4 74 79 70 65 a1 6d a4 74 79 70 65 a1 6d")]
    [InlineData("81 a4 74 79 70 65 a1 6d 81 a4 74 79 70 65 a1 6d")]
    [InlineData("81 a4 74 79 70 65 a1 6d 81 ab 77 69 74 68 5f 6b 77 61 72 67 73 01")]
    [InlineData("90")]
    public void A_frame_not_of_the_schema_shape_is_told_apart(string hex)
    {
        var reader = new MsgPackReader(Bytes.Hex(hex));

        Assert.Null(RpcMethodV4.TryReadMsgPack(ref reader));
    }

    [Fact]
    public void Encoding_into_a_pooled_buffer_allocates_nothing_once_interning_is_warm()
    {
        var table = new InternSendTable();
        RpcMethodV4 message = RpcMethodSamples.Random(1, seed: 1).First();
        message.Method = "services.s1.add";
        message.Parent = null;
        using var buffer = new PooledBufferWriter();

        long allocated = Allocations.Measure(() =>
        {
            buffer.Clear();
            SchemaMessage.Write(buffer, 0, message, table);
        });

        Assert.Equal(0, allocated);
    }

    // The message in its binary form, read up to its body.
    private static SchemaReader BodyOf(RpcMethodV4 message, InternSendTable sender, InternReceiveTable receiver)
    {
        var binary = new ArrayBufferWriter<byte>();
        SchemaMessage.Write(binary, 0, message, sender);
        var reader = new SchemaReader(binary.WrittenMemory, receiver);
        SchemaMessage.ReadHeader(ref reader);
        return reader;
    }

    internal static SchemaRecord ToRecord(CompiledSchema schema, RpcMethodV4 message)
    {
        SchemaRecord record = schema.NewRecord();
        record["type"] = message.Type;
        record["from"] = message.From;
        record["to"] = message.To;
        record["method"] = message.Method;
        record["parent"] = message.Parent;
        record["session"] = message.Session;
        record["ws"] = message.Ws;
        record["user"] = message.User;
        record["data"] = message.Data;
        record["args"] = message.Args;
        record["with_kwargs"] = message.WithKwargs;
        record["promise"] = message.Promise;
        record["t"] = message.T;
        return record;
    }

    internal static byte[] MsgPackOf(RpcMethodV4 message)
    {
        var output = new ArrayBufferWriter<byte>();
        var writer = new MsgPackWriter(output);
        RpcMethodV4.WriteMsgPack(ref writer, message);
        writer.Flush();
        return output.WrittenSpan.ToArray();
    }

    private static byte[] MsgPackOf(CompiledSchema schema, SchemaRecord record)
    {
        var output = new ArrayBufferWriter<byte>();
        var writer = new MsgPackWriter(output);
        schema.WriteMsgPack(ref writer, record);
        writer.Flush();
        return output.WrittenSpan.ToArray();
    }
}
