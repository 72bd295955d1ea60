using System.Buffers;
using System.Runtime.CompilerServices;
using Google.Protobuf;
using Hypha.Bench.Harness;
using Hypha.Bench.Protobuf;
using Hypha.Protocol.Buffers;
using Hypha.Protocol.MsgPack;
using Hypha.Protocol.Schemas;

namespace Hypha.Bench.Scenarios.Codec;

/// <summary>The generated binary codec with warm intern tables: encode into a pooled buffer, decode, read every field.</summary>
internal readonly struct SchemaRoundTripOperation(PooledBufferWriter output, RpcMethodV4 message, InternSendTable sent, InternReceiveTable received) : IOperation
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    public long Invoke()
    {
        output.Clear();
        SchemaMessage.Write(output, 0, message, sent);
        var reader = new SchemaReader(output.WrittenMemory, received);
        SchemaMessage.ReadHeader(ref reader);
        RpcMethodV4 decoded = SchemaMessage.ReadBody<RpcMethodV4>(ref reader);
        return EnvelopeSample.Digest(decoded.Type, decoded.From, decoded.To, decoded.Method, decoded.Session,
            decoded.Args!.Value.Bytes.Span, decoded.Promise!.Value.Bytes.Span, decoded.T!.Value.Bytes.Span);
    }
}

/// <summary>The generated binary codec, encode only (into a pooled buffer, interning warm).</summary>
internal readonly struct SchemaEncodeOperation(PooledBufferWriter output, RpcMethodV4 message, InternSendTable sent) : IOperation
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    public long Invoke()
    {
        output.Clear();
        SchemaMessage.Write(output, 0, message, sent);
        return output.WrittenCount;
    }
}

/// <summary>The runtime-compiled codec of the same schema, with warm intern tables.</summary>
internal readonly struct SchemaRuntimeRoundTripOperation(PooledBufferWriter output, CompiledSchema schema, SchemaRecord message, InternSendTable sent, InternReceiveTable received)
    : IOperation
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    public long Invoke()
    {
        output.Clear();
        schema.WriteMessage(output, 0, message, sent);
        var reader = new SchemaReader(output.WrittenMemory, received);
        SchemaMessage.ReadHeader(ref reader);
        SchemaRecord decoded = schema.ReadBody(ref reader);
        return EnvelopeSample.Digest((string)decoded[0]!, (string?)decoded[1], (string?)decoded[2], (string?)decoded[3], (string?)decoded[5],
            ((RawMsgPack)decoded[9]!).Bytes.Span, ((RawMsgPack)decoded[11]!).Bytes.Span, ((RawMsgPack)decoded[12]!).Bytes.Span);
    }
}

/// <summary>The msgpack form of the same message (the hypha frame, as hypha peers send it), through the generated codec.</summary>
internal readonly struct MsgPackEnvelopeRoundTripOperation(PooledBufferWriter output, RpcMethodV4 message) : IOperation
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    public long Invoke()
    {
        output.Clear();
        var writer = new MsgPackWriter(output);
        RpcMethodV4.WriteMsgPack(ref writer, message);
        writer.Flush();
        var reader = new MsgPackReader(output.WrittenMemory);
        RpcMethodV4 decoded = RpcMethodV4.TryReadMsgPack(ref reader) ?? throw new InvalidOperationException("The frame does not read back.");
        return EnvelopeSample.Digest(decoded.Type, decoded.From, decoded.To, decoded.Method, decoded.Session,
            decoded.Args!.Value.Bytes.Span, decoded.Promise!.Value.Bytes.Span, decoded.T!.Value.Bytes.Span);
    }
}

/// <summary>The same message compiled by Grpc.Tools: encode into a pooled buffer, parse back, read every field.</summary>
internal readonly struct ProtobufRoundTripOperation(PooledBufferWriter output, RpcMethod message) : IOperation
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    public long Invoke()
    {
        output.Clear();
        message.WriteTo(output);
        RpcMethod decoded = RpcMethod.Parser.ParseFrom(output.WrittenMemory.Span);
        return EnvelopeSample.Digest(decoded.Type, decoded.From, decoded.To, decoded.Method, decoded.Session,
            decoded.Args.Span, decoded.Promise.Span, decoded.T.Span);
    }
}

/// <summary>protobuf, encode only.</summary>
internal readonly struct ProtobufEncodeOperation(PooledBufferWriter output, RpcMethod message) : IOperation
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    public long Invoke()
    {
        output.Clear();
        message.WriteTo(output);
        return output.WrittenCount;
    }
}

/// <summary>
/// The same frame through MessagePack-CSharp 2.5: main's object then extra's serialized into the pooled buffer, both
/// deserialized back (the any fields as slices of the frame), every field read.
/// </summary>
internal readonly struct MessagePackCSharpRoundTripOperation(
    PooledBufferWriter output, MessagePackCSharpEnvelope.MainSegment main, MessagePackCSharpEnvelope.ExtraSegment extra) : IOperation
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    public long Invoke()
    {
        output.Clear();
        MessagePack.MessagePackSerializer.Serialize(output, main, MessagePackCSharpEnvelope.Options);
        MessagePack.MessagePackSerializer.Serialize(output, extra, MessagePackCSharpEnvelope.Options);
        ReadOnlyMemory<byte> frame = output.WrittenMemory;
        var decodedMain = MessagePack.MessagePackSerializer.Deserialize<MessagePackCSharpEnvelope.MainSegment>(frame, MessagePackCSharpEnvelope.Options, out int read);
        var decodedExtra = MessagePack.MessagePackSerializer.Deserialize<MessagePackCSharpEnvelope.ExtraSegment>(frame[read..], MessagePackCSharpEnvelope.Options);
        return EnvelopeSample.Digest(decodedMain.Type, decodedMain.From, decodedMain.To, decodedMain.Method, decodedMain.Session,
            decodedExtra.Args.Bytes.Span, decodedExtra.Promise.Bytes.Span, decodedExtra.T.Bytes.Span);
    }
}
