using Hypha.Protocol.Messages;
using Hypha.Protocol.MsgPack;
using Hypha.Protocol.Objects;

namespace Hypha.Protocol.Tests.Messages;

public class HyphaCallTests
{
    [Fact]
    public void PythonStyleKwargsGetServiceIsUnderstood()
    {
        // Python sends get_service(id, config={...}) as args [id, {"config": {...}}] with with_kwargs.
        var extra = new MsgPackMap
        {
            { "args", MsgPackValue.Array("ws/c:svc", new MsgPackMap { { "config", new MsgPackMap { { "mode", "exact" } } } }) },
            { "with_kwargs", true },
            { "promise", "*" },
            { "t", 15.0 },
        };
        var call = new HyphaCall(extra);

        Assert.Equal(1, call.Positional.Length);
        Assert.Equal("exact", call.Kwargs!["config"]["mode"].AsString());
        Assert.Equal(15, Assert.IsType<CompactPromise>(call.Promise).HeartbeatInterval);
    }

    [Fact]
    public void CallWithoutArgsOrPromiseIsFireAndForget()
    {
        var call = new HyphaCall(new MsgPackMap());
        Assert.Empty(call.Args);
        Assert.Null(call.Promise);
        Assert.Null(call.Kwargs);
    }

    [Fact]
    public void FractionalIntervalStaysAFloat()
    {
        HyphaCall call = HyphaCall.Create([], promise: new CompactPromise(7.5));
        Assert.Equal(MsgPackValueKind.Float64, call.Extra["t"].Kind);
        Assert.Equal(MsgPackValueKind.Integer, HyphaCall.Create([], promise: new CompactPromise(15)).Extra["t"].Kind);
    }

    [Fact]
    public void ArgsThatAreNotAnArrayAreAProtocolError() =>
        Assert.Throws<HyphaProtocolException>(() => new HyphaCall(new MsgPackMap { { "args", "oops" } }));

    [Fact]
    public void WithKwargsThatIsNotABooleanIsAProtocolError() =>
        Assert.Throws<HyphaProtocolException>(() => new HyphaCall(new MsgPackMap { { "args", MsgPackValue.Array(new MsgPackMap()) }, { "with_kwargs", 1 } }));

    [Fact]
    public void WithKwargsWithoutAKwargsMapIsAProtocolError()
    {
        Assert.Throws<HyphaProtocolException>(() => new HyphaCall(new MsgPackMap { { "args", MsgPackValue.Array(1) }, { "with_kwargs", true } }));
        Assert.Throws<HyphaProtocolException>(() => new HyphaCall(new MsgPackMap { { "with_kwargs", true } }));
    }

    [Theory]
    [InlineData("+")]
    [InlineData("")]
    public void PromiseStringOtherThanStarIsAProtocolError(string marker) =>
        Assert.Throws<HyphaProtocolException>(() => new HyphaCall(new MsgPackMap { { "promise", marker } }));

    [Fact]
    public void PromiseOfAnotherTypeIsAProtocolError() =>
        Assert.Throws<HyphaProtocolException>(() => new HyphaCall(new MsgPackMap { { "promise", 1 } }));

    [Fact]
    public void ExplicitPromiseWithoutRejectIsAProtocolError()
    {
        var promise = new MsgPackMap { { "resolve", RemoteMethod.Create("c1", "S.resolve") } };
        var error = Assert.Throws<HyphaProtocolException>(() => new HyphaCall(new MsgPackMap { { "promise", promise } }));
        Assert.Contains("reject", error.Message);
    }

    [Fact]
    public void IntervalThatIsNotANumberIsAProtocolError() =>
        Assert.Throws<HyphaProtocolException>(() => new HyphaCall(new MsgPackMap { { "promise", "*" }, { "t", "soon" } }));

    [Fact]
    public void CompactPromisesReadWithTheSameIntervalAreOneObjectAndOthersAreNot()
    {
        var every15 = Assert.IsType<CompactPromise>(new HyphaCall(new MsgPackMap { { "promise", "*" }, { "t", 15 } }).Promise);
        Assert.Same(every15, new HyphaCall(new MsgPackMap { { "promise", "*" }, { "t", 15.0 } }).Promise);

        var every2 = Assert.IsType<CompactPromise>(new HyphaCall(new MsgPackMap { { "promise", "*" }, { "t", 2.5 } }).Promise);
        Assert.Equal(2.5, every2.HeartbeatInterval);
        var none = Assert.IsType<CompactPromise>(new HyphaCall(new MsgPackMap { { "promise", "*" } }).Promise);
        Assert.Null(none.HeartbeatInterval);
        Assert.Equal(15, every15.HeartbeatInterval);
    }

    [Fact]
    public void CompactPromiseExpandsToFireAndForgetCallbacksOnTheCaller()
    {
        ExplicitPromise expanded = new CompactPromise(15).Expand("ws-a/caller", "S9");

        Assert.Equal("ws-a/caller", expanded.Resolve.Target);
        Assert.Equal("S9.resolve", expanded.Resolve.Method);
        Assert.Equal("S9.reject", expanded.Reject.Method);
        Assert.Equal("S9.heartbeat", expanded.Heartbeat!.Method);
        Assert.Equal(RemotePromiseMode.None, expanded.Reject.PromiseMode);
        Assert.Equal(15, expanded.HeartbeatInterval);
    }

    [Fact]
    public void ExplicitPromiseRoundTripsThroughExtra()
    {
        var promise = new ExplicitPromise(RemoteMethod.Create("c", "S.resolve"), RemoteMethod.Create("c", "S.reject"), null, null);
        HyphaCall call = HyphaCall.Create(["x"], promise: promise);
        var back = Assert.IsType<ExplicitPromise>(new HyphaCall(MsgPackValue.Parse(((MsgPackValue)call.Extra).ToBytes()).AsMap()).Promise);

        Assert.Null(back.Heartbeat);
        Assert.Null(back.HeartbeatInterval);
        Assert.Equal("S.reject", back.Reject.Method);
    }
}
