using Hypha.Protocol.MsgPack;

namespace Hypha.Protocol.Tests.MsgPack;

public class SmokeTests
{
    [Fact]
    public void MapRoundTripKeepsOrderAndKinds()
    {
        var map = new MsgPackMap { { "b", 1 }, { "a", 2.0 }, { "c", new byte[] { 1, 2 } } };
        byte[] bytes = ((MsgPackValue)map).ToBytes();
        MsgPackValue back = MsgPackValue.Parse(bytes);
        Assert.Equal((MsgPackValue)map, back);
        Assert.Equal(MsgPackValueKind.Float64, back["a"].Kind);
        Assert.Equal(bytes, back.ToBytes());
    }
}
