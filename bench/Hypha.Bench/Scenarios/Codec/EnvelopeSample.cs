using Google.Protobuf;
using Hypha.Bench.Protobuf;
using Hypha.Protocol.MsgPack;
using Hypha.Protocol.Schemas;

namespace Hypha.Bench.Scenarios.Codec;

/// <summary>
/// The rpc_method_v4 envelope of the schema cases: <c>svc.add(21, 7, "hello")</c> from c2 to the service s1 of c1
/// with the compact promise, the call of <see cref="SampleCall"/> with a short string added to the arguments. Every
/// case carries the same fields; the msgpack values of the any fields (args, promise, t) stay encoded bytes in
/// every case, as a router and the RPC core's envelope layer handle them.
/// </summary>
internal static class EnvelopeSample
{
    public const string Text = "hello";

    private static readonly RawMsgPack Args = RawMsgPack.From(new MsgPackValue[] { SampleCall.A, SampleCall.B, Text });
    private static readonly RawMsgPack Promise = RawMsgPack.From("*");
    private static readonly RawMsgPack HeartbeatSeconds = RawMsgPack.From(SampleCall.HeartbeatSeconds);

    /// <summary>The message as the generated type.</summary>
    public static RpcMethodV4 Generated() => new()
    {
        Type = "method",
        From = SampleCall.From,
        To = SampleCall.To,
        Method = SampleCall.Method,
        Session = SampleCall.Session,
        Args = Args,
        Promise = Promise,
        T = HeartbeatSeconds,
    };

    /// <summary>The message as a record of the runtime-compiled schema.</summary>
    public static SchemaRecord Runtime(CompiledSchema schema)
    {
        RpcMethodV4 message = Generated();
        SchemaRecord record = schema.NewRecord();
        record["type"] = message.Type;
        record["from"] = message.From;
        record["to"] = message.To;
        record["method"] = message.Method;
        record["session"] = message.Session;
        record["args"] = message.Args;
        record["promise"] = message.Promise;
        record["t"] = message.T;
        return record;
    }

    /// <summary>The message as the protobuf type.</summary>
    public static RpcMethod Protobuf() => new()
    {
        Type = "method",
        From = SampleCall.From,
        To = SampleCall.To,
        Method = SampleCall.Method,
        Session = SampleCall.Session,
        Args = ByteString.CopyFrom(Args.Bytes.Span),
        Promise = ByteString.CopyFrom(Promise.Bytes.Span),
        T = ByteString.CopyFrom(HeartbeatSeconds.Bytes.Span),
    };

    /// <summary>A value derived from every decoded field, the same for each case when the decode is right.</summary>
    public static long Digest(string type, string? from, string? to, string? method, string? session, ReadOnlySpan<byte> args, ReadOnlySpan<byte> promise, ReadOnlySpan<byte> t) =>
        type.Length + (from?.Length ?? 0) + (to?.Length ?? 0) + (method?.Length ?? 0) + (session?.Length ?? 0)
        + args.Length + args[^1] + promise.Length + t[0];

    /// <summary>What <see cref="Digest"/> gives for the sample.</summary>
    public static long ExpectedDigest
    {
        get
        {
            RpcMethodV4 m = Generated();
            return Digest(m.Type, m.From, m.To, m.Method, m.Session, m.Args!.Value.Bytes.Span, m.Promise!.Value.Bytes.Span, m.T!.Value.Bytes.Span);
        }
    }
}
