using Hypha.Protocol.MsgPack;

namespace Hypha.Protocol.Tests.MsgPack;

/// <summary>The timestamp extension (-1) in its 32, 64 and 96-bit forms, and its conversions to and from DateTime.</summary>
public class TimestampTests
{
    private const long MinDateTimeSeconds = -62_135_596_800;
    private const long MaxDateTimeSeconds = 253_402_300_799;

    public static TheoryData<long, uint, string> Encodings => new()
    {
        // 32-bit: whole seconds from 0 to 2^32-1.
        { 0, 0, "d6 ff 00 00 00 00" },
        { 1, 0, "d6 ff 00 00 00 01" },
        { uint.MaxValue, 0, "d6 ff ff ff ff ff" },
        // 64-bit: 30-bit nanoseconds and 34-bit seconds.
        { 0, 1, "d7 ff 00 00 00 04 00 00 00 00" },
        { 1L << 32, 0, "d7 ff 00 00 00 01 00 00 00 00" },
        { (1L << 34) - 1, 999_999_999, "d7 ff ee 6b 27 ff ff ff ff ff" },
        { 1_700_000_000, 500_000_000, "d7 ff 77 35 94 00 65 53 f1 00" },
        // 96-bit: 32-bit nanoseconds and signed 64-bit seconds.
        { 1L << 34, 0, "c7 0c ff 00 00 00 00 00 00 00 04 00 00 00 00" },
        { -1, 0, "c7 0c ff 00 00 00 00 ff ff ff ff ff ff ff ff" },
        { -1, 500_000_000, "c7 0c ff 1d cd 65 00 ff ff ff ff ff ff ff ff" },
        { long.MinValue, 999_999_999, "c7 0c ff 3b 9a c9 ff 80 00 00 00 00 00 00 00" },
        { long.MaxValue, 0, "c7 0c ff 00 00 00 00 7f ff ff ff ff ff ff ff" },
        { MinDateTimeSeconds, 0, "c7 0c ff 00 00 00 00 ff ff ff f1 88 6e 09 00" },
    };

    [Theory]
    [MemberData(nameof(Encodings))]
    public void TimestampUsesTheSmallestOfItsThreeForms(long seconds, uint nanoseconds, string hex)
    {
        var timestamp = new MsgPackTimestamp(seconds, nanoseconds);
        byte[] expected = Bytes.Hex(hex);

        var buffer = new byte[expected.Length];
        Assert.True(MsgPackPrimitives.TryWriteTimestamp(buffer, timestamp, out int written));
        Assert.Equal(expected.Length, written);
        Assert.Equal(Bytes.ToHex(expected), Bytes.ToHex(buffer));
        Assert.False(MsgPackPrimitives.TryWriteTimestamp(new byte[expected.Length - 1], timestamp, out written));
        Assert.Equal(0, written);

        Assert.Equal(expected, Bytes.Write((ref MsgPackWriter w) => w.Write(timestamp)));
        Assert.Equal(expected, ((MsgPackValue)timestamp).ToBytes());

        Assert.Equal(MsgPackReadStatus.Success, MsgPackPrimitives.TryReadTimestamp(expected, out MsgPackTimestamp primitive, out int read));
        Assert.Equal(timestamp, primitive);
        Assert.Equal(expected.Length, read);

        var reader = new MsgPackReader(expected);
        Assert.Equal(timestamp, reader.ReadTimestamp());
        Assert.True(reader.End);

        MsgPackValue parsed = MsgPackValue.Parse(expected);
        Assert.Equal(MsgPackValueKind.Timestamp, parsed.Kind);
        Assert.Equal(timestamp, parsed.AsTimestamp());
    }

    [Theory]
    [InlineData("d7 ff 00 00 00 00 00 00 00 05", 5, 0)]
    [InlineData("c7 0c ff 00 00 00 07 00 00 00 00 00 00 00 05", 5, 7)]
    [InlineData("c7 04 ff 00 00 00 05", 5, 0)]
    [InlineData("c8 00 08 ff 00 00 00 1c 00 00 00 05", 5, 7)]
    [InlineData("c9 00 00 00 0c ff 00 00 00 07 ff ff ff ff ff ff ff fb", -5, 7)]
    public void TimestampInANonMinimalFormStillDecodes(string hex, long seconds, uint nanoseconds)
    {
        byte[] bytes = Bytes.Hex(hex);
        var expected = new MsgPackTimestamp(seconds, nanoseconds);
        Assert.Equal(expected, MsgPackValue.Parse(bytes).AsTimestamp());
        Assert.Equal(MsgPackReadStatus.Success, MsgPackPrimitives.TryReadTimestamp(bytes, out MsgPackTimestamp primitive, out _));
        Assert.Equal(expected, primitive);
    }

    [Theory]
    [InlineData("d4 ff 00", MsgPackReadStatus.Invalid)]
    [InlineData("c7 05 ff 00 00 00 00 00", MsgPackReadStatus.Invalid)]
    [InlineData("d7 ff ee 6b 28 00 00 00 00 00", MsgPackReadStatus.Invalid)]
    [InlineData("c7 0c ff 3b 9a ca 00 00 00 00 00 00 00 00 00", MsgPackReadStatus.Invalid)]
    [InlineData("d6 05 00 00 00 00", MsgPackReadStatus.TypeMismatch)]
    [InlineData("c0", MsgPackReadStatus.TypeMismatch)]
    [InlineData("d6 ff 00 00", MsgPackReadStatus.NeedMoreData)]
    [InlineData("d6", MsgPackReadStatus.NeedMoreData)]
    public void PrimitiveTimestampReadReportsWhatIsWrong(string hex, MsgPackReadStatus expected)
    {
        Assert.Equal(expected, MsgPackPrimitives.TryReadTimestamp(Bytes.Hex(hex), out _, out int read));
        Assert.Equal(0, read);
    }

    [Fact]
    public void ReaderRejectsAnotherExtensionTypeAsATimestamp()
    {
        var reader = new MsgPackReader(Bytes.Hex("91 d6 05 00 00 00 00"));
        reader.ReadArrayHeader();
        MsgPackException ex = ReaderAssert.Throws(ref reader, (ref MsgPackReader r) => r.ReadTimestamp());
        Assert.Equal(1, ex.Offset);
    }

    [Fact]
    public void NanosecondsOfOneSecondOrMoreAreRejectedByTheConstructor()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new MsgPackTimestamp(0, 1_000_000_000));
        Assert.Equal(999_999_999u, new MsgPackTimestamp(0, 999_999_999).Nanoseconds);
    }

    public static TheoryData<DateTime, long, uint> DateTimes => new()
    {
        { DateTime.UnixEpoch, 0, 0 },
        { DateTime.UnixEpoch.AddTicks(1), 0, 100 },
        { DateTime.UnixEpoch.AddTicks(-1), -1, 999_999_900 },
        { new DateTime(1969, 12, 31, 23, 59, 59, 500, DateTimeKind.Utc), -1, 500_000_000 },
        { new DateTime(1900, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddTicks(1234567), -2_208_988_800, 123_456_700 },
        { new DateTime(2024, 2, 29, 12, 34, 56, DateTimeKind.Utc).AddTicks(7_654_321), 1_709_210_096, 765_432_100 },
        { new DateTime(2500, 1, 1, 0, 0, 0, DateTimeKind.Utc), 16_725_225_600, 0 },
        { DateTime.SpecifyKind(DateTime.MinValue, DateTimeKind.Utc), MinDateTimeSeconds, 0 },
        { DateTime.SpecifyKind(DateTime.MaxValue, DateTimeKind.Utc), MaxDateTimeSeconds, 999_999_900 },
    };

    [Theory]
    [MemberData(nameof(DateTimes))]
    public void DateTimeConvertsToSecondsAndNanosecondsBothWays(DateTime utc, long seconds, uint nanoseconds)
    {
        MsgPackTimestamp timestamp = MsgPackTimestamp.FromDateTime(utc);
        Assert.Equal(new MsgPackTimestamp(seconds, nanoseconds), timestamp);

        DateTime back = timestamp.ToDateTime();
        Assert.Equal(utc, back);
        Assert.Equal(DateTimeKind.Utc, back.Kind);

        byte[] bytes = Bytes.Write((ref MsgPackWriter w) => w.Write(utc));
        Assert.Equal(((MsgPackValue)timestamp).ToBytes(), bytes);
        Assert.Equal(bytes, ((MsgPackValue)utc).ToBytes());
        var reader = new MsgPackReader(bytes);
        Assert.Equal(utc, reader.ReadDateTime());
    }

    [Fact]
    public void RandomDateTimesRoundTripToTheTick()
    {
        var random = new Random(1234);
        for (int i = 0; i < 5_000; i++)
        {
            var utc = new DateTime(random.NextInt64(DateTime.MinValue.Ticks, DateTime.MaxValue.Ticks + 1), DateTimeKind.Utc);
            MsgPackTimestamp timestamp = MsgPackTimestamp.FromDateTime(utc);
            Assert.InRange(timestamp.Nanoseconds, 0u, 999_999_900u);
            Assert.Equal(0u, timestamp.Nanoseconds % 100);
            Assert.Equal(utc, timestamp.ToDateTime());

            var reader = new MsgPackReader(((MsgPackValue)utc).ToBytes());
            Assert.Equal(utc, reader.ReadDateTime());
        }
    }

    [Theory]
    [InlineData(0, 99, 0)]
    [InlineData(0, 199, 1)]
    [InlineData(-1, 999_999_999, -1)]
    [InlineData(-1, 50, -10_000_000)]
    public void ToDateTimeTruncatesNanosecondsToTicks(long seconds, uint nanoseconds, long ticksFromEpoch)
    {
        DateTime value = new MsgPackTimestamp(seconds, nanoseconds).ToDateTime();
        Assert.Equal(ticksFromEpoch, value.Ticks - DateTime.UnixEpoch.Ticks);
    }

    [Theory]
    [InlineData(MinDateTimeSeconds - 1, 999_999_999)]
    [InlineData(MaxDateTimeSeconds + 1, 0)]
    [InlineData(long.MinValue, 0)]
    [InlineData(long.MaxValue, 999_999_999)]
    public void ToDateTimeOutOfRangeThrowsArgumentOutOfRange(long seconds, uint nanoseconds)
    {
        var timestamp = new MsgPackTimestamp(seconds, nanoseconds);
        Assert.Throws<ArgumentOutOfRangeException>(() => timestamp.ToDateTime());
    }

    [Theory]
    [InlineData(MinDateTimeSeconds - 1)]
    [InlineData(MaxDateTimeSeconds + 1)]
    [InlineData(long.MaxValue)]
    public void ReadDateTimeOutOfRangeThrowsMsgPackExceptionAtTheTimestamp(long seconds)
    {
        byte[] bytes = Bytes.Write((ref MsgPackWriter w) =>
        {
            w.WriteArrayHeader(2);
            w.Write(1L);
            w.Write(new MsgPackTimestamp(seconds, 0));
        });
        var reader = new MsgPackReader(bytes);
        reader.ReadArrayHeader();
        reader.ReadInt64();
        MsgPackException ex = ReaderAssert.Throws(ref reader, (ref MsgPackReader r) => r.ReadDateTime());
        Assert.Equal(2, ex.Offset);
        Assert.IsType<ArgumentOutOfRangeException>(ex.InnerException);

        // The timestamp itself is fine: only the conversion fails.
        Assert.Equal(seconds, MsgPackValue.Parse(bytes).AsArray()[1].AsTimestamp().Seconds);
    }

    [Fact]
    public void DateTimeLimitsAreTheExactEdgesOfTheAcceptedRange()
    {
        Assert.Equal(DateTime.MinValue.Ticks, new MsgPackTimestamp(MinDateTimeSeconds, 0).ToDateTime().Ticks);
        Assert.Equal(DateTime.MaxValue.Ticks, new MsgPackTimestamp(MaxDateTimeSeconds, 999_999_999).ToDateTime().Ticks);
    }

    [Fact]
    public void ToStringShowsSecondsAndNineDigitsOfNanoseconds()
    {
        Assert.Equal("-1.000000005s", new MsgPackTimestamp(-1, 5).ToString());
    }
}
