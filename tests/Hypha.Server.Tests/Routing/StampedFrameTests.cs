using Hypha.Protocol.Messages;
using Hypha.Protocol.MsgPack;
using Hypha.Server.Routing;
using Hypha.Server.Tests.Infrastructure;

namespace Hypha.Server.Tests.Routing;

public sealed class StampedFrameTests
{
    private static readonly byte[] Stamp = StampedFrame.StampOf("lab/a", "lab", RawMsgPack.From(new MsgPackMap { { "id", "alice" } }));

    [Fact]
    public void Stamping_replaces_the_senders_fields_and_keeps_every_other_entry_as_its_bytes()
    {
        var main = new MsgPackMap
        {
            { "type", "method" }, { "from", "evil/x" }, { "to", "lab/b" }, { "x", MsgPackValue.Array(1, 2.0) },
            { "ws", "evil" }, { "method", "services.s.f" }, { "user", new MsgPackMap { { "id", "root" } } },
        };
        byte[] extra = ((MsgPackValue)new MsgPackMap { { "args", MsgPackValue.Array(2.0, 3, new byte[] { 1, 2 }) } }).ToBytes();
        byte[] frame = Frames.Concat(Frames.Write(main), extra);

        HyphaFrame stamped = HyphaFrame.Decode(Stamped(frame, "lab/b"));

        Assert.Equal(7, stamped.Main.Count);
        Assert.Equal("method", stamped.Main["type"].AsString());
        Assert.Equal("lab/a", stamped.Main["from"].AsString());
        Assert.Equal("lab/b", stamped.Main["to"].AsString());
        Assert.Equal("lab", stamped.Main["ws"].AsString());
        Assert.Equal("alice", stamped.Main["user"].AsMap()["id"].AsString());
        Assert.Equal("services.s.f", stamped.Main["method"].AsString());
        Assert.Equal(MsgPackValue.Array(1, 2.0), stamped.Main["x"]);
        Assert.Equal(extra, stamped.ExtraBytes.ToArray());
        byte[] entry = [.. ((MsgPackValue)"x").ToBytes(), .. MsgPackValue.Array(1, 2.0).ToBytes()];
        Assert.True(stamped.Bytes.Span.IndexOf(entry) > 0, "an entry the router does not read is forwarded as its bytes");
    }

    [Fact]
    public void A_relative_to_is_replaced_by_the_absolute_target()
    {
        byte[] frame = Frames.Call("b", "services.s.f", "S1", 1);

        HyphaFrame stamped = HyphaFrame.Decode(Stamped(frame, "lab/b"));

        Assert.Equal("lab/b", stamped.Main["to"].AsString());
        Assert.Single(stamped.Main, entry => entry.Key.AsString() == "to");
        Assert.Equal(HyphaFrame.Decode(frame).ExtraBytes.ToArray(), stamped.ExtraBytes.ToArray());
    }

    [Fact]
    public void A_frame_without_the_senders_fields_gets_them()
    {
        byte[] frame = Frames.Write(new MsgPackMap { { "to", "lab/b" }, { "type", "method" } });

        HyphaFrame stamped = HyphaFrame.Decode(Stamped(frame, "lab/b"));

        Assert.Equal(5, stamped.Main.Count);
        Assert.Equal("lab/a", stamped.Main["from"].AsString());
        Assert.Equal("lab", stamped.Main["ws"].AsString());
        Assert.True(stamped.ExtraBytes.IsEmpty);
    }

    [Fact]
    public void The_routing_fields_are_found()
    {
        byte[] call = Frames.Write(new MsgPackMap { { "type", "method" }, { "to", "b" }, { "method", "services.s.f" }, { "session", "S1" } });
        byte[] answer = Frames.Write(new MsgPackMap
        {
            { "type", "method" }, { "to", "lab/a" }, { "method", "S1.resolve" }, { "parent", "S1" }, { "session", MsgPackValue.Nil },
        });

        Assert.True(StampedFrame.TryRead(call, HyphaFrame.DefaultReaderOptions, out StampedFrame first));
        Assert.True(StampedFrame.TryRead(answer, HyphaFrame.DefaultReaderOptions, out StampedFrame second));

        Assert.Equal(("b", "method", "S1", false), (first.To, first.Type, first.SessionOf(call), first.HasParent));
        Assert.Equal("services.s.f"u8.ToArray(), first.MethodOf(call).ToArray());
        Assert.Equal(("lab/a", null, true), (second.To, second.SessionOf(answer), second.HasParent));
        Assert.Equal("S1.resolve"u8.ToArray(), second.MethodOf(answer).ToArray());
    }

    public static TheoryData<string, byte[]> OtherShapes => new()
    {
        { "an array", ((MsgPackValue)MsgPackValue.Array("to", "b")).ToBytes() },
        { "a key that is a number", Frames.Write(new MsgPackMap { { "type", "method" }, { "to", "b" }, { 1, 2 } }) },
        { "no to", Frames.Write(new MsgPackMap { { "type", "method" } }) },
        { "a to that is nil", Frames.Write(new MsgPackMap { { "type", "method" }, { "to", MsgPackValue.Nil } }) },
        { "a to that is a number", Frames.Write(new MsgPackMap { { "type", "method" }, { "to", 7 } }) },
        { "no type", Frames.Write(new MsgPackMap { { "to", "b" } }) },
        { "two to", Frames.Write(new MsgPackMap { { "type", "method" }, { "to", "b" }, { "to", "c" } }) },
        { "two users", Frames.Write(new MsgPackMap { { "type", "method" }, { "to", "b" }, { "user", 1 }, { "user", 2 } }) },
        { "a session that is a number", Frames.Write(new MsgPackMap { { "type", "method" }, { "to", "b" }, { "session", 5 } }) },
        { "a key that is not UTF-8", [0x83, .. Pair("type", "method"), .. Pair("to", "b"), 0xa1, 0xff, 0x01] },
    };

    [Theory]
    [MemberData(nameof(OtherShapes))]
    public void Frames_of_another_shape_go_the_general_way(string shape, byte[] frame)
    {
        Assert.False(StampedFrame.TryRead(frame, HyphaFrame.DefaultReaderOptions, out _), shape);
    }

    public static TheoryData<string, byte[]> Malformed => new()
    {
        { "main cut short", Frames.Call("b", "services.s.f", "S1", 1)[..10] },
        { "extra cut short", Frames.Call("b", "services.s.f", "S1", "argument")[..^3] },
        { "a byte that is no msgpack after main", Frames.Concat(Frames.Write(new MsgPackMap { { "type", "method" }, { "to", "b" } }), [0xc1]) },
        { "a session that is not UTF-8", [0x83, .. Pair("type", "method"), .. Pair("to", "b"), .. ((MsgPackValue)"session").ToBytes(), 0xa1, 0xff] },
        { "extra nested too deep", Frames.Concat(Frames.Write(new MsgPackMap { { "type", "method" }, { "to", "b" } }), [.. Enumerable.Repeat((byte)0x91, 1000), 0xc0]) },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Malformed_frames_are_errors(string defect, byte[] frame)
    {
        Assert.True(Assert.Throws<MsgPackException>(() => StampedFrame.TryRead(frame, HyphaFrame.DefaultReaderOptions, out _)) is not null, defect);
    }

    // Whatever main holds, the stamped frame reads as the general path's rewrite would: the same entries, the sender's
    // three replaced, the target set, extra unchanged.
    [Fact]
    public void Stamped_frames_read_as_the_general_rewrite_for_random_mains()
    {
        var random = new Random(20261130);
        string[] keys = ["type", "to", "from", "ws", "user", "session", "parent", "method", "data", "k1", "k2", "é"];
        for (int round = 0; round < 500; round++)
        {
            var main = new MsgPackMap();
            foreach (string key in keys.OrderBy(_ => random.Next()).Where(key => key is "type" or "to" || random.Next(3) > 0))
            {
                main.Add(key, key switch
                {
                    "type" => "method",
                    "to" => random.Next(2) == 0 ? "b" : "lab/b",
                    "user" => new MsgPackMap { { "id", new string('u', random.Next(0, 40)) } },
                    "session" or "parent" or "method" => random.Next(4) == 0 ? MsgPackValue.Nil : $"S{random.Next()}.resolve",
                    _ => random.Next(3) switch { 0 => random.Next(), 1 => new string('v', random.Next(0, 300)), _ => MsgPackValue.Array(1.5, "x") },
                });
            }

            byte[] extra = random.Next(2) == 0 ? [] : ((MsgPackValue)new MsgPackMap { { "args", MsgPackValue.Array(round) } }).ToBytes();
            byte[] frame = Frames.Concat(Frames.Write(main), extra);

            HyphaFrame stamped = HyphaFrame.Decode(Stamped(frame, "lab/b"));

            MsgPackMap expected = main.Clone();
            expected.Set("to", "lab/b");
            expected.Set("from", "lab/a");
            expected.Set("ws", "lab");
            expected.Set("user", new MsgPackMap { { "id", "alice" } });
            Assert.Equal(expected.Count, stamped.Main.Count);
            foreach (KeyValuePair<MsgPackValue, MsgPackValue> entry in expected)
            {
                Assert.Equal(entry.Value, stamped.Main[entry.Key.AsString()]);
            }

            Assert.Equal(extra, stamped.ExtraBytes.ToArray());
        }
    }

    private static byte[] Stamped(byte[] frame, string target)
    {
        Assert.True(StampedFrame.TryRead(frame, HyphaFrame.DefaultReaderOptions, out StampedFrame stamped));
        byte[] output = new byte[StampedFrame.MaxStampedLength(frame.Length, Stamp.Length, target)];
        int length = stamped.WriteTo(frame, output, target, Stamp);
        return output[..length];
    }

    private static byte[] Pair(string key, string value) => [.. ((MsgPackValue)key).ToBytes(), .. ((MsgPackValue)value).ToBytes()];
}
