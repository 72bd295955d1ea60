using Hypha.Protocol.MsgPack;

namespace Hypha.Protocol.Tests.MsgPack;

public class ExtensionConstructionTests
{
    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 1, 2, 3 })]
    [InlineData(new byte[] { 0xff, 0xff, 0xff, 0xfc, 0, 0, 0, 0 })] // nanoseconds above 999,999,999
    public void TimestampTypeWithInvalidDataCannotBeBuilt(byte[] data) =>
        Assert.Throws<ArgumentException>(() => MsgPackValue.Extension(MsgPackCode.TimestampExtensionType, data));

    [Fact]
    public void EveryOtherExtensionTypeReadsBackAsItWasBuilt()
    {
        MsgPackValue value = MsgPackValue.Extension(-2, [1, 2, 3]);
        Assert.Equal(value, MsgPackValue.Parse(value.ToBytes()));
    }
}
