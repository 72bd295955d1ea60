using Hypha.Protocol.MsgPack;

namespace Hypha.Protocol.Tests.MsgPack;

public class ReaderBudgetTests
{
    // An array of n empty maps: one input byte per element, but tens of bytes of memory per decoded element.
    private static byte[] ArrayOfEmptyMaps(int n)
    {
        var bytes = new byte[5 + n];
        bytes[0] = MsgPackCode.Array32;
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(1), n);
        bytes.AsSpan(5).Fill(MsgPackCode.MinFixMap);
        return bytes;
    }

    [Fact]
    public void EntriesAreCountedAcrossEveryCollectionOfADocument()
    {
        var options = new MsgPackReaderOptions { MaxTotalEntries = 1000 };
        MsgPackValue.Parse(ArrayOfEmptyMaps(1000), options);

        // Two arrays of 600 each: every one is under the limit, their sum is not.
        var two = MsgPackValue.Array(new MsgPackValue[600], new MsgPackValue[600]).ToBytes();
        var error = Assert.Throws<MsgPackException>(() => MsgPackValue.Parse(two, options));
        Assert.Contains("1000 entries in all", error.Message);
    }

    [Fact]
    public void SkipSharesTheBudget()
    {
        var options = new MsgPackReaderOptions { MaxTotalEntries = 10 };
        var reader = new MsgPackReader(ArrayOfEmptyMaps(11), options);
        try
        {
            reader.Skip();
            Assert.Fail("Skip read past the entry budget.");
        }
        catch (MsgPackException error)
        {
            Assert.Equal(0, error.Offset);
        }
    }

    [Fact]
    public void DefaultBudgetStopsAmplificationBeforeItAllocates()
    {
        byte[] bomb = ArrayOfEmptyMaps(5_000_000); // 5 MB of input would otherwise decode to ~400 MB of maps
        long before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Throws<MsgPackException>(() => MsgPackValue.Parse(bomb));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1024 * 1024);
    }

    [Fact]
    public void InputLimitCannotExceedWhatDotNetCanIndex() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new MsgPackReaderOptions { MaxTotalSize = int.MaxValue + 1L });

    [Fact]
    public void UnspecifiedDateTimeIsTakenAsUtcWhateverTheTimeZone()
    {
        var unspecified = new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Unspecified);
        var utc = DateTime.SpecifyKind(unspecified, DateTimeKind.Utc);
        Assert.Equal(MsgPackTimestamp.FromDateTime(utc), MsgPackTimestamp.FromDateTime(unspecified));
        Assert.Equal(MsgPackTimestamp.FromDateTime(utc), MsgPackTimestamp.FromDateTime(utc.ToLocalTime()));
    }
}
