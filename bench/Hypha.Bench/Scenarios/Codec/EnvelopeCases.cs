using Google.Protobuf;
using Hypha.Bench.Harness;
using Hypha.Bench.Protobuf;
using Hypha.Protocol.Buffers;
using Hypha.Protocol.MsgPack;
using Hypha.Protocol.Schemas;

namespace Hypha.Bench.Scenarios.Codec;

/// <summary>
/// The schema compiler's cases (issue 5): the rpc_method_v4 envelope of <see cref="EnvelopeSample"/>, encode +
/// decode, through the generated binary codec (<c>schema</c>), the runtime-compiled one (<c>schema-runtime</c>), the
/// msgpack form that hypha peers send (<c>msgpack</c>), the same frame through MessagePack-CSharp
/// (<c>messagepack-csharp</c>) and protobuf compiled by Grpc.Tools (<c>protobuf</c>), plus
/// encode alone for the generated codec and protobuf. Interning is warm in the schema cases: the steady state of a
/// connection, where from, to, method and type each take one byte.
/// </summary>
internal static class EnvelopeCases
{
    public const string Schema = "schema";
    public const string SchemaRuntime = "schema-runtime";
    public const string MsgPack = "msgpack";
    public const string Protobuf = "protobuf";
    public const string MessagePackCSharp = "messagepack-csharp";
    public const string SchemaEncode = "schema/encode";
    public const string ProtobufEncode = "protobuf/encode";
    public const string SchemaFirst = "schema/first-message";

    public static void Run(BenchContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        RpcMethodV4 message = EnvelopeSample.Generated();
        CompiledSchema runtime = SchemaCompiler.Compile(RpcMethodV4.Schema.Definition);
        SchemaRecord record = EnvelopeSample.Runtime(runtime);
        RpcMethod protobuf = EnvelopeSample.Protobuf();
        (MessagePackCSharpEnvelope.MainSegment main, MessagePackCSharpEnvelope.ExtraSegment extra) = MessagePackCSharpEnvelope.Sample();
        using var output = new PooledBufferWriter(512);
        var sent = new InternSendTable();
        var received = new InternReceiveTable();
        var runtimeSent = new InternSendTable();
        var runtimeReceived = new InternReceiveTable();
        var encodeOnly = new InternSendTable();

        // The first message carries its values; by the third each interned value has a slot (the second sighting
        // defines it). Every case must read back the same fields.
        int first = 0;
        long expected = EnvelopeSample.ExpectedDigest;
        for (int i = 0; i < 3; i++)
        {
            Check(new SchemaRoundTripOperation(output, message, sent, received).Invoke(), expected, Schema);
            first = i == 0 ? output.WrittenCount : first;
            Check(new SchemaRuntimeRoundTripOperation(output, runtime, record, runtimeSent, runtimeReceived).Invoke(), expected, SchemaRuntime);
            new SchemaEncodeOperation(output, message, encodeOnly).Invoke();
        }

        int warm = new SchemaEncodeOperation(output, message, encodeOnly).Invoke() is var size ? (int)size : 0;
        Check(new MsgPackEnvelopeRoundTripOperation(output, message).Invoke(), expected, MsgPack);
        int frame = output.WrittenCount;
        byte[] ourFrame = output.WrittenMemory.Span.ToArray();
        Check(new MessagePackCSharpRoundTripOperation(output, main, extra).Invoke(), expected, MessagePackCSharp);
        if (!output.WrittenMemory.Span.SequenceEqual(ourFrame))
        {
            throw new InvalidOperationException($"MessagePack-CSharp wrote another frame than ours: {Convert.ToHexString(output.WrittenMemory.Span)} against {Convert.ToHexString(ourFrame)}.");
        }

        Check(new ProtobufRoundTripOperation(output, protobuf).Invoke(), expected, Protobuf);
        int proto = protobuf.CalculateSize();

        IReadOnlyDictionary<string, Measurement> m = context.Measure(new CaseSet()
            .Add(Schema, new SchemaRoundTripOperation(output, message, sent, received))
            .Add(SchemaRuntime, new SchemaRuntimeRoundTripOperation(output, runtime, record, runtimeSent, runtimeReceived))
            .Add(MsgPack, new MsgPackEnvelopeRoundTripOperation(output, message))
            .Add(MessagePackCSharp, new MessagePackCSharpRoundTripOperation(output, main, extra))
            .Add(Protobuf, new ProtobufRoundTripOperation(output, protobuf))
            .Add(SchemaEncode, new SchemaEncodeOperation(output, message, encodeOnly))
            .Add(ProtobufEncode, new ProtobufEncodeOperation(output, protobuf)));

        context.Emit(Schema, Metrics.Bytes, warm);
        context.Emit(SchemaRuntime, Metrics.Bytes, warm);
        context.Emit(SchemaEncode, Metrics.Bytes, warm);
        context.Emit(SchemaFirst, Metrics.Bytes, first);
        context.Emit(MsgPack, Metrics.Bytes, frame);
        context.Emit(MessagePackCSharp, Metrics.Bytes, frame);
        context.Emit(Protobuf, Metrics.Bytes, proto);
        context.Emit(ProtobufEncode, Metrics.Bytes, proto);
        context.EmitTimeRatio(Schema, m[Schema], Protobuf, m[Protobuf]);
        context.EmitTimeRatio(Schema, m[Schema], MsgPack, m[MsgPack]);
        context.EmitTimeRatio(MsgPack, m[MsgPack], MessagePackCSharp, m[MessagePackCSharp]);
        context.EmitTimeRatio(Schema, m[Schema], MessagePackCSharp, m[MessagePackCSharp]);
        context.EmitTimeRatio(SchemaRuntime, m[SchemaRuntime], Schema, m[Schema]);
        context.EmitTimeRatio(SchemaEncode, m[SchemaEncode], ProtobufEncode, m[ProtobufEncode]);
        context.Emit(Schema, Metrics.Ratio, (double)warm / frame, $"x bytes of {MsgPack}");
        context.Emit(SchemaFirst, Metrics.Ratio, (double)first / frame, $"x bytes of {MsgPack}");
        context.Emit(Protobuf, Metrics.Ratio, (double)proto / frame, $"x bytes of {MsgPack}");
    }

    private static void Check(long digest, long expected, string name)
    {
        if (digest != expected)
        {
            throw new InvalidOperationException($"The {name} case does not read back the message it wrote ({digest} instead of {expected}).");
        }
    }
}
