using Hypha.Protocol.MsgPack;
using Hypha.Protocol.Objects;

namespace Hypha.Protocol.Tests.Objects;

public class HyphaValueTests
{
    [Fact]
    public void ScalarsKeepIntegerAndFloatApart()
    {
        Assert.Equal(MsgPackValueKind.Integer, HyphaValue.FromObject(2).Kind);
        Assert.Equal(MsgPackValueKind.Float64, HyphaValue.FromObject(2.0).Kind);
        Assert.Equal(MsgPackValueKind.Float32, HyphaValue.FromObject(2.0f).Kind);
        Assert.Equal(2L, HyphaValue.ToObject(2));
        Assert.Equal(2.0, HyphaValue.ToObject(2.0));
        Assert.Equal(ulong.MaxValue, HyphaValue.ToObject(ulong.MaxValue));
    }

    [Theory]
    [InlineData(-256)]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(1023)]
    public void SmallIntegersDecodeToSharedBoxes(long value)
    {
        object first = HyphaValue.ToObject(value)!;
        Assert.Equal(value, first);
        Assert.Same(first, HyphaValue.ToObject(value));
        Assert.Same(BoxedIntegers.Box((int)value), BoxedIntegers.Box((int)value));
        Assert.Equal((int)value, BoxedIntegers.Box((int)value));
    }

    [Theory]
    [InlineData(-257)]
    [InlineData(1024)]
    [InlineData(long.MaxValue)]
    [InlineData(long.MinValue)]
    public void OtherIntegersDecodeToBoxesOfTheirOwn(long value)
    {
        object first = HyphaValue.ToObject(value)!;
        Assert.Equal(value, first);
        Assert.NotSame(first, HyphaValue.ToObject(value));
    }

    [Fact]
    public void BytesThatAreAWholeArrayDecodeWithoutACopyAndPartsOfABufferAreCopied()
    {
        byte[] data = [1, 2, 3, 4];
        MsgPackValue read = MsgPackValue.Parse(((MsgPackValue)data).ToBytes());
        byte[] fromRead = Assert.IsType<byte[]>(HyphaValue.ToObject(read));
        Assert.Equal(data, fromRead);
        Assert.Same(fromRead, HyphaValue.ToObject(read)); // the reader's own array, handed over as it is

        byte[] buffer = [9, 1, 2, 3, 9];
        MsgPackValue view = new ReadOnlyMemory<byte>(buffer, 1, 3);
        byte[] fromView = Assert.IsType<byte[]>(HyphaValue.ToObject(view));
        Assert.Equal(new byte[] { 1, 2, 3 }, fromView);
        fromView[0] = 7;
        Assert.Equal(1, buffer[1]); // a part of a larger buffer is copied: the buffer is not the caller's to change
    }

    [Fact]
    public void BytesInEveryShapeBecomeBin()
    {
        byte[] data = [1, 2, 3];
        foreach (object value in new object[] { data, new ReadOnlyMemory<byte>(data), new Memory<byte>(data), new ArraySegment<byte>(data) })
        {
            MsgPackValue encoded = HyphaValue.FromObject(value);
            Assert.Equal(MsgPackValueKind.Binary, encoded.Kind);
            Assert.Equal(data, encoded.AsBinary().ToArray());
        }

        byte[] slice = MsgPackValue.Parse(HyphaValue.FromObject(new ArraySegment<byte>(data, 1, 2)).ToBytes()).AsBinary().ToArray();
        Assert.Equal(new byte[] { 2, 3 }, slice);
    }

    [Fact]
    public void DatesBecomeTimestampsAndComeBackInUtc()
    {
        var local = new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.FromHours(2));
        DateTime back = Assert.IsType<DateTime>(HyphaValue.ToObject(HyphaValue.FromObject(local)));
        Assert.Equal(local.UtcDateTime, back);
        Assert.Equal(DateTimeKind.Utc, back.Kind);
    }

    [Fact]
    public void TimestampOutsideDateTimeRangeStaysATimestamp()
    {
        var far = new MsgPackTimestamp(long.MaxValue / 2, 0);
        Assert.Equal(far, HyphaValue.ToObject(far));
    }

    [Fact]
    public void CollectionsBecomeArraysAndMaps()
    {
        var value = new Dictionary<string, object?> { ["list"] = new List<object?> { 1, "a", null }, ["nested"] = new Dictionary<string, int> { ["x"] = 1 } };
        var back = Assert.IsType<Dictionary<string, object?>>(HyphaValue.ToObject(HyphaValue.FromObject(value)));

        Assert.Equal(new object?[] { 1L, "a", null }, Assert.IsType<object?[]>(back["list"]));
        Assert.Equal(1L, Assert.IsType<Dictionary<string, object?>>(back["nested"])["x"]);
    }

    [Fact]
    public void NonStringKeysAreRejectedBothWays()
    {
        Assert.Throws<NotSupportedException>(() => HyphaValue.FromObject(new Dictionary<int, int> { [1] = 1 }));
        var map = new MsgPackMap { { (MsgPackValue)1, "x" } };
        Assert.Throws<Hypha.Protocol.Messages.HyphaProtocolException>(() => HyphaValue.ToObject(map));
    }

    [Fact]
    public void SetsBecomeLists() =>
        Assert.Equal(new List<object?> { 1L, "b" }, HyphaValue.ToObject(RemoteSet.Create(1, "b")));

    [Fact]
    public void UnsupportedTypesAreReportedByName()
    {
        var error = Assert.Throws<NotSupportedException>(() => HyphaValue.FromObject(new object()));
        Assert.Contains("System.Object", error.Message);
    }
}
