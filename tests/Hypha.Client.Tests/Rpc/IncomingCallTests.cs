using Hypha.Client.Rpc;
using Hypha.Protocol.Messages;
using Hypha.Protocol.MsgPack;
using Hypha.Protocol.Schemas;

namespace Hypha.Client.Tests.Rpc;

/// <summary>A received call's arguments, read when asked: the first one alone (an answer's value) as the whole call reads it.</summary>
public sealed class IncomingCallTests
{
    private static IncomingCall Call(RawMsgPack? args, bool? withKwargs = null) =>
        new(new RpcMethodV4 { Type = "method", From = "ws/p", Method = "s1.resolve", Args = args, WithKwargs = withKwargs }, MsgPackReaderOptions.Default);

    public static TheoryData<string, MsgPackValue[]> Arguments() => new()
    {
        { "one int", [3] },
        { "a string and more", ["text", 1, new MsgPackMap { { "a", 1 } }] },
        { "bytes", [new byte[] { 1, 2, 3 }] },
        { "a nested map", [new MsgPackMap { { "x", new MsgPackValue[] { 1, 2 } } }] },
        { "none", [] },
    };

    [Theory]
    [MemberData(nameof(Arguments))]
    public void The_first_argument_is_the_first_of_the_decoded_arguments(string what, MsgPackValue[] args)
    {
        RawMsgPack raw = RawMsgPack.From(args);

        MsgPackValue first = Call(raw).FirstArgument;

        MsgPackValue[] decoded = Call(raw).Decoded.Args;
        Assert.True(decoded.Length == 0 ? first.IsNil : first.Equals(decoded[0]), what);
    }

    [Fact]
    public void No_arguments_read_as_nil()
    {
        Assert.True(Call(null).FirstArgument.IsNil);
    }

    [Fact]
    public void Arguments_that_are_not_an_array_are_an_error_as_for_the_whole_call()
    {
        IncomingCall call = Call(RawMsgPack.From(5));

        Assert.Throws<HyphaProtocolException>(() => call.FirstArgument);
        Assert.Throws<HyphaProtocolException>(() => Call(RawMsgPack.From(5)).Decoded);
    }

    [Fact]
    public void With_keyword_arguments_the_call_is_read_whole_and_checked()
    {
        Assert.Throws<HyphaProtocolException>(() => Call(RawMsgPack.From(new MsgPackValue[] { 1 }), withKwargs: true).FirstArgument);
        Assert.Equal(1, Call(RawMsgPack.From(new MsgPackValue[] { 1, new MsgPackMap() }), withKwargs: true).FirstArgument.AsInt64());
    }
}
