using Hypha.Protocol.Messages;
using Hypha.Protocol.MsgPack;
using Hypha.Protocol.Objects;

namespace Hypha.Protocol.Tests.Messages;

/// <summary>
/// Real frames of the npm hypha-rpc client: each decodes to the expected model, re-encodes to the same bytes, and
/// rebuilding it from scratch with our encoders gives the client's exact bytes.
/// </summary>
public class GoldenFrameTests
{
    private const string Client = "ws-golden/golden-client";
    private const string Manager = "*/manager-golden";

    public static TheoryData<string> AllFrames => new(GoldenFrames.Names);

    [Fact]
    public void AtLeastTheFiveRequiredFramesAreCommitted()
    {
        string[] required = ["get-service-explicit-promise", "resolve-service-map", "call-with-kwargs", "resolve-generator", "reject-error"];
        Assert.All(required, name => Assert.Contains(name, GoldenFrames.Names));
    }

    [Theory]
    [MemberData(nameof(AllFrames))]
    public void EveryFrameReencodesToTheSameBytes(string name)
    {
        byte[] bytes = GoldenFrames.Bytes(name);
        HyphaFrame frame = HyphaFrame.Decode(bytes);

        Assert.True(frame.HasExtra);
        Assert.Equal(bytes, GoldenFrames.Encode(frame.Main, frame.DecodeExtra()));
        Assert.Equal(Client, frame.Envelope.From);
        Assert.True(frame.Envelope.IsMethodCall);
        _ = new HyphaCall(frame.DecodeExtra()!);
    }

    [Fact]
    public void GetServiceCarriesTheExplicitPromiseMap()
    {
        byte[] bytes = GoldenFrames.Bytes("get-service-explicit-promise");
        HyphaFrame frame = HyphaFrame.Decode(bytes);
        HyphaEnvelope envelope = frame.Envelope;
        var call = new HyphaCall(frame.DecodeExtra()!);
        string session = envelope.Session!;

        Assert.Equal(Manager, envelope.To);
        Assert.Equal("services.built-in.get_service", envelope.Method);
        Assert.Null(envelope.Parent);
        Assert.Equal(["default"], call.Args.Select(a => a.AsString()));
        ExplicitPromise promise = Assert.IsType<ExplicitPromise>(call.Promise);
        Assert.Equal(10, promise.HeartbeatInterval);
        Assert.Equal($"{session}.resolve", promise.Resolve.Method);
        Assert.Equal($"{session}.reject", promise.Reject.Method);
        Assert.Equal($"{session}.heartbeat", promise.Heartbeat!.Method);
        Assert.Equal("golden-client", promise.Resolve.Target);
        Assert.Equal(RemotePromiseMode.None, promise.Resolve.PromiseMode);

        var rebuilt = new ExplicitPromise(
            RemoteMethod.Create("golden-client", $"{session}.resolve"),
            RemoteMethod.Create("golden-client", $"{session}.reject"),
            RemoteMethod.Create("golden-client", $"{session}.heartbeat"),
            10);
        HyphaEnvelope main = HyphaEnvelope.CreateCall(Client, Manager, "services.built-in.get_service", session);
        Assert.Equal(bytes, GoldenFrames.Encode(main.Main, HyphaCall.Create(["default"], promise: rebuilt).Extra));
    }

    [Fact]
    public void ResolveCarriesAServiceMapOfMethodDescriptors()
    {
        HyphaFrame frame = GoldenFrames.Frame("resolve-service-map");
        var call = new HyphaCall(frame.DecodeExtra()!);

        Assert.Equal("mgr1.resolve", frame.Envelope.Method);
        Assert.Equal("mgr1", frame.Envelope.Parent);
        Assert.Null(frame.Envelope.Session);
        Assert.Null(call.Promise);
        MsgPackValue service = Assert.Single(call.Args);
        Assert.Equal("s1", service["id"].AsString());
        Assert.Equal(MsgPackValueKind.Float64, service["meta"]["ratio"].Kind);
        Assert.Equal(MsgPackValueKind.Integer, service["meta"]["replicas"].Kind);

        RemoteMethod mul = Assert.IsType<RemoteMethod>(HyphaObject.Decode(service["math"]["mul"]));
        Assert.Equal("golden-client", mul.Target);
        Assert.Equal("services.s1.math.mul", mul.Method);
        Assert.Equal(RemotePromiseMode.Compact, mul.PromiseMode);
        Assert.Equal("mul", mul.Name);
        Assert.Null(mul.Doc);
        Assert.Null(mul.Schema);
        Assert.StartsWith("http://127.0.0.1:", mul.Server);
        Assert.Equal("ws-golden/golden-client", mul.AbsoluteTarget("ws-golden"));

        RemoteMethod rebuilt = RemoteMethod.Create("golden-client", "services.s1.math.mul", RemotePromiseMode.Compact, mul.Server, "mul");
        Assert.Equal(service["math"]["mul"].ToBytes(), ((MsgPackValue)rebuilt).ToBytes());
    }

    [Fact]
    public void KwargsCallSeparatesPositionalAndKeywordArguments()
    {
        byte[] bytes = GoldenFrames.Bytes("call-with-kwargs");
        HyphaFrame frame = HyphaFrame.Decode(bytes);
        var call = new HyphaCall(frame.DecodeExtra()!);

        Assert.True(call.WithKwargs);
        Assert.Equal([1L], call.Positional.ToArray().Select(a => a.AsInt64()));
        Assert.Equal(2, call.Kwargs!["x"].AsInt64());
        Assert.Equal("two", call.Kwargs["y"].AsString());
        CompactPromise promise = Assert.IsType<CompactPromise>(call.Promise);
        Assert.Equal(10, promise.HeartbeatInterval);

        HyphaEnvelope main = HyphaEnvelope.CreateCall(Client, "ws-golden/fake-peer", "services.peer-svc.compute", frame.Envelope.Session);
        HyphaCall rebuilt = HyphaCall.Create([1], new MsgPackMap { { "x", 2 }, { "y", "two" } }, new CompactPromise(10));
        Assert.Equal(bytes, GoldenFrames.Encode(main.Main, rebuilt.Extra));
    }

    [Fact]
    public void ResolveCarriesAGeneratorDescriptor()
    {
        byte[] bytes = GoldenFrames.Bytes("resolve-generator");
        HyphaFrame frame = HyphaFrame.Decode(bytes);
        var call = new HyphaCall(frame.DecodeExtra()!);
        RemoteGenerator generator = Assert.IsType<RemoteGenerator>(HyphaObject.Decode(call.Args[0]));

        Assert.Equal("golden-client", generator.Target);
        Assert.Equal($"{generator.Method}:close", generator.CloseMethod);
        Assert.Equal(RemotePromiseMode.Compact, generator.PromiseMode);
        Assert.Equal("Remote generator", generator.Doc);

        RemoteGenerator rebuilt = RemoteGenerator.Create("golden-client", generator.Method, generator.CloseMethod!, generator.Server);
        HyphaEnvelope main = HyphaEnvelope.CreateCall(Client, Manager, "mgr2.resolve", parent: "mgr2");
        Assert.Equal(bytes, GoldenFrames.Encode(main.Main, HyphaCall.Create([rebuilt]).Extra));
    }

    [Fact]
    public void RejectCarriesAnErrorWithItsTrace()
    {
        byte[] bytes = GoldenFrames.Bytes("reject-error");
        HyphaFrame frame = HyphaFrame.Decode(bytes);
        var call = new HyphaCall(frame.DecodeExtra()!);
        RemoteError error = Assert.IsType<RemoteError>(HyphaObject.Decode(call.Args[0]));

        Assert.Equal("mgr4.reject", frame.Envelope.Method);
        Assert.Equal("Error: boom from golden fixture", error.Message);
        Assert.StartsWith("Error: boom from golden fixture\n    at fail", error.Trace);

        HyphaEnvelope main = HyphaEnvelope.CreateCall(Client, Manager, "mgr4.reject", parent: "mgr4");
        Assert.Equal(bytes, GoldenFrames.Encode(main.Main, HyphaCall.Create([RemoteError.Create(error.Message, error.Trace)]).Extra));
    }

    [Fact]
    public void Float32ArrayTravelsAsATypedArray()
    {
        byte[] bytes = GoldenFrames.Bytes("call-typedarray");
        HyphaFrame frame = HyphaFrame.Decode(bytes);
        var call = new HyphaCall(frame.DecodeExtra()!);
        TypedArray typed = Assert.IsType<TypedArray>(HyphaObject.Decode(call.Args[0]));

        Assert.Equal("float32", typed.DType);
        Assert.Equal([1.5f, -2f, 3.25f], typed.ToArray<float>());
        Assert.Equal([1.5f, -2f, 3.25f], Assert.IsType<float[]>(HyphaValue.ToObject(call.Args[0])));

        HyphaEnvelope main = HyphaEnvelope.CreateCall(Client, "ws-golden/fake-peer", "services.peer-svc.echo", frame.Envelope.Session);
        HyphaCall rebuilt = HyphaCall.Create([HyphaValue.FromObject(new[] { 1.5f, -2f, 3.25f })], promise: new CompactPromise(10));
        Assert.Equal(bytes, GoldenFrames.Encode(main.Main, rebuilt.Extra));
    }

    [Fact]
    public void BytesTravelAsBinAndDatesAsTimestamps()
    {
        byte[] bytes = GoldenFrames.Bytes("call-bytes-and-date");
        HyphaFrame frame = HyphaFrame.Decode(bytes);
        var call = new HyphaCall(frame.DecodeExtra()!);
        var expectedDate = new DateTime(2024, 1, 2, 3, 4, 5, 678, DateTimeKind.Utc);

        Assert.Equal(new byte[] { 0, 1, 2, 255 }, Assert.IsType<byte[]>(HyphaValue.ToObject(call.Args[0])));
        Assert.Equal(MsgPackValueKind.Timestamp, call.Args[1].Kind);
        Assert.Equal(expectedDate, Assert.IsType<DateTime>(HyphaValue.ToObject(call.Args[1])));

        HyphaEnvelope main = HyphaEnvelope.CreateCall(Client, "ws-golden/fake-peer", "services.peer-svc.echo", frame.Envelope.Session);
        HyphaCall rebuilt = HyphaCall.Create(
            [HyphaValue.FromObject(new byte[] { 0, 1, 2, 255 }), HyphaValue.FromObject(expectedDate)],
            promise: new CompactPromise(10));
        Assert.Equal(bytes, GoldenFrames.Encode(main.Main, rebuilt.Extra));
    }

    [Fact]
    public void CallbackArgumentIsASessionScopedMethod()
    {
        HyphaFrame frame = GoldenFrames.Frame("callback-arg");
        var call = new HyphaCall(frame.DecodeExtra()!);
        RemoteMethod callback = Assert.IsType<RemoteMethod>(HyphaObject.Decode(call.Args[0]));

        Assert.StartsWith(frame.Envelope.Session + ".", callback.Method);
        Assert.Equal("onProgress", callback.Name);
        Assert.Equal(string.Empty, callback.Doc);
        Assert.Equal(RemotePromiseMode.Compact, callback.PromiseMode);
        RemoteMethod rebuilt = RemoteMethod.Create("golden-client", callback.Method, RemotePromiseMode.Compact, callback.Server, "onProgress", "");
        Assert.Equal(call.Args[0].ToBytes(), ((MsgPackValue)rebuilt).ToBytes());
    }

    [Fact]
    public void JavaScriptHeartbeatHasEmptyArgsAndNoSession()
    {
        byte[] bytes = GoldenFrames.Bytes("heartbeat");
        HyphaFrame frame = HyphaFrame.Decode(bytes);
        var call = new HyphaCall(frame.DecodeExtra()!);

        Assert.Equal("mgr5.heartbeat", frame.Envelope.Method);
        Assert.Null(frame.Envelope.Session);
        Assert.Empty(call.Args);
        HyphaEnvelope main = HyphaEnvelope.CreateCall(Client, Manager, "mgr5.heartbeat", parent: "mgr5");
        Assert.Equal(bytes, GoldenFrames.Encode(main.Main, HyphaCall.Create([]).Extra));
    }

    [Fact]
    public void RegisterServiceSendsTheServiceInfo()
    {
        HyphaFrame frame = GoldenFrames.Frame("register-service");
        var call = new HyphaCall(frame.DecodeExtra()!);
        MsgPackValue info = Assert.Single(call.Args);

        Assert.Equal("services.default.register_service", frame.Envelope.Method);
        Assert.Equal("ws-golden/golden-client:s1", info["id"].AsString());
        Assert.Equal("*", info["app_id"].AsString());
        Assert.Equal("function", info["service_schema"]["math"]["mul"]["type"].AsString());
        Assert.Equal("ws-golden", info["config"]["workspace"].AsString());
    }

    [Fact]
    public void JavaScriptGetServicePassesConfigPositionally()
    {
        HyphaFrame frame = GoldenFrames.Frame("get-service-by-id");
        var call = new HyphaCall(frame.DecodeExtra()!);

        Assert.False(call.WithKwargs);
        Assert.Equal("peer-svc", call.Args[0].AsString());
        Assert.Empty(call.Args[1].AsMap());
    }
}
