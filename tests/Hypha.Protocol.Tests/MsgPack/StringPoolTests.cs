using Hypha.Protocol.Messages;
using Hypha.Protocol.MsgPack;

namespace Hypha.Protocol.Tests.MsgPack;

public class StringPoolTests
{
    [Fact]
    public void PooledStringsAreSharedInstancesAndOthersAreDecoded()
    {
        var pool = new MsgPackStringPool(["type", "from", "é"]);
        var options = new MsgPackReaderOptions { StringPool = pool };
        byte[] bytes = MsgPackValue.Array("type", "typo", "é", "types").ToBytes();

        MsgPackValue[] items = MsgPackValue.Parse(bytes, options).AsArray();

        Assert.True(pool.TryGet("type"u8, out string? shared));
        Assert.Same(shared, items[0].AsString());
        Assert.Equal("typo", items[1].AsString());
        Assert.True(pool.TryGet("é"u8, out string? accented));
        Assert.Same(accented, items[2].AsString());
        Assert.Equal("types", items[3].AsString());
    }

    [Fact]
    public void HyphaFramesDecodeProtocolKeysAsSharedInstances()
    {
        MsgPackMap main = HyphaEnvelope.CreateCall("ws/a", "ws/b", "services.s.f", "S1").Main;
        byte[] bytes = ((MsgPackValue)main).ToBytes();

        HyphaFrame first = HyphaFrame.Decode(bytes);
        HyphaFrame second = HyphaFrame.Decode(bytes);

        Assert.Same(first.Main[0].Key.AsString(), second.Main[0].Key.AsString());
        Assert.Same(HyphaKeys.MethodType, first.Envelope.Type);
    }

    [Fact]
    public void StringsLongerThanThePoolAllowsAreRejected() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new MsgPackStringPool([new string('x', MsgPackStringPool.MaxByteLength + 1)]));

    [Fact]
    public void PooledStringSplitAcrossSegmentsIsStillDecoded()
    {
        var options = new MsgPackReaderOptions { StringPool = new MsgPackStringPool(["method"]) };
        byte[] bytes = ((MsgPackValue)"method").ToBytes();
        var sequence = TestSequences.SplitAt(bytes, 3);
        var reader = new MsgPackReader(sequence, options);
        Assert.Equal("method", reader.ReadString());
    }
}
