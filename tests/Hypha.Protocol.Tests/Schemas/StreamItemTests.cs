using Hypha.Protocol.Messages;
using Hypha.Protocol.MsgPack;
using Hypha.Protocol.Schemas;

namespace Hypha.Protocol.Tests.Schemas;

public sealed class StreamItemTests
{
    private static RpcMethodV4 Resolve(string session, MsgPackValue item) => new()
    {
        Type = "method",
        From = "ws/provider",
        To = "ws/caller",
        Method = $"{session}.resolve",
        Parent = session,
        Ws = "ws",
        User = RawMsgPack.From(new MsgPackMap { { "id", "u" } }),
        Args = RawMsgPack.From(new MsgPackValue[] { item }),
    };

    [Fact]
    public void A_stream_answer_becomes_an_item_and_back_unchanged()
    {
        RpcMethodV4 resolve = Resolve("s1", new MsgPackMap { { "x", 1 } });

        StreamItem item = StreamItems.TryFrom(resolve)!;
        RpcMethodV4 back = StreamItems.ToMessage(item);

        Assert.Equal("s1", item.Session);
        Assert.Equal(RawMsgPack.From(new MsgPackMap { { "x", 1 } }), item.Item);
        Assert.Equal(BuiltInCodecTests.MsgPackOf(resolve), BuiltInCodecTests.MsgPackOf(back));
    }

    [Fact]
    public void Messages_that_are_not_a_plain_resolve_stay_rpc_messages()
    {
        RpcMethodV4 good = Resolve("s1", 5);
        RpcMethodV4[] others =
        [
            Resolve("s1", 5).With(m => m.Method = "s1.reject"),
            Resolve("s1", 5).With(m => m.Method = "s2.resolve"),
            Resolve("s1", 5).With(m => m.Session = "s9"),
            Resolve("s1", 5).With(m => m.Promise = RawMsgPack.From("*")),
            Resolve("s1", 5).With(m => m.Args = RawMsgPack.From(new MsgPackValue[] { 1, 2 })),
            Resolve("s1", 5).With(m => m.Args = null),
            Resolve("s1", 5).With(m => m.Type = "event"),
        ];

        Assert.NotNull(StreamItems.TryFrom(good));
        Assert.All(others, message => Assert.Null(StreamItems.TryFrom(message)));
    }
}

internal static class RpcMethodV4Edits
{
    public static RpcMethodV4 With(this RpcMethodV4 message, Action<RpcMethodV4> edit)
    {
        edit(message);
        return message;
    }
}
