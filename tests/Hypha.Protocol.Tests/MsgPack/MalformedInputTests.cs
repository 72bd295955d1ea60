using System.Buffers;
using Hypha.Protocol.MsgPack;
using Xunit.Sdk;

namespace Hypha.Protocol.Tests.MsgPack;

/// <summary>
/// Malformed, truncated, hostile and over-limit input ends in <see cref="MsgPackException"/> and nothing else,
/// at the right offset, without allocating anything like what the input declares.
/// </summary>
public class MalformedInputTests
{
    private const long SmallAllocation = 1 << 20;

    public static TheoryData<string> Malformed => MalformedDocuments.Names();

    public static TheoryData<string> Documents => SampleDocuments.Names();

    [Theory]
    [MemberData(nameof(Malformed))]
    public void MalformedDocumentThrowsMsgPackExceptionAtTheOffendingValue(string name)
    {
        (byte[] bytes, long offset) = MalformedDocuments.Get(name);
        MsgPackException ex = Assert.Throws<MsgPackException>(() => MsgPackValue.Parse(bytes));
        Assert.Equal(offset, ex.Offset);
        Assert.Contains($"offset {offset}", ex.Message, StringComparison.Ordinal);

        // Skip checks structure only (not UTF-8 or timestamp contents), but must never throw anything else.
        SkipOrThrowMsgPackException(bytes);
    }

    [Theory]
    [MemberData(nameof(Documents))]
    public void EveryTruncationOfAValidDocumentThrowsMsgPackException(string name)
    {
        byte[] bytes = SampleDocuments.Get(name);
        for (int length = 0; length < bytes.Length; length++)
        {
            byte[] prefix = bytes[..length];
            MsgPackException parse = Assert.Throws<MsgPackException>(() => MsgPackValue.Parse(prefix));
            Assert.InRange(parse.Offset, 0, length);

            var reader = new MsgPackReader(prefix);
            MsgPackException skip = ReaderAssert.Throws(ref reader, (ref MsgPackReader r) => r.Skip());
            Assert.InRange(skip.Offset, 0, length);
        }
    }

    [Fact]
    public void TruncatedStrBodyInANestedMapIsReportedAtTheStrHeader()
    {
        // {"a": {"bb": <str of 5 bytes with only 3 present>}}
        byte[] bytes = Bytes.Hex("81 a1 61 81 a2 62 62 a5 78 79 7a");
        MsgPackException ex = Assert.Throws<MsgPackException>(() => MsgPackValue.Parse(bytes));
        Assert.Equal(7, ex.Offset);
        Assert.Contains("Truncated", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("db ff ff ff ff 61")]
    [InlineData("c6 ff ff ff ff 00")]
    [InlineData("c9 ff ff ff ff 01 00")]
    [InlineData("c9 ff ff ff ff ff 00")]
    [InlineData("dd ff ff ff ff c0")]
    [InlineData("df ff ff ff ff c0 c0")]
    [InlineData("dd 7f ff ff ff c0")]
    [InlineData("dd 00 98 96 80 c0")]
    [InlineData("df 00 98 96 80 c0 c0")]
    [InlineData("91 92 93 dd 00 ff ff ff c0")]
    public void HugeDeclaredLengthsFailWithoutAllocatingThem(string hex)
    {
        byte[] bytes = Bytes.Hex(hex);
        var generous = new MsgPackReaderOptions { MaxCollectionLength = int.MaxValue };
        foreach (MsgPackReaderOptions options in new[] { MsgPackReaderOptions.Default, generous })
        {
            long allocated = Allocations.Measure(() =>
            {
                try
                {
                    MsgPackValue.Parse(bytes, options);
                    throw new XunitException("parsed a value that declares more than the input holds");
                }
                catch (MsgPackException)
                {
                }
            });
            Assert.InRange(allocated, 0, SmallAllocation);
        }

        SkipOrThrowMsgPackException(bytes, mustThrow: true);
    }

    [Fact]
    public void HugeDeclaredLengthsFailOverSegmentedInputToo()
    {
        foreach (string hex in new[] { "db ff ff ff ff 61", "dd ff ff ff ff c0", "c6 ff ff ff ff 00 01 02" })
        {
            ReadOnlySequence<byte> input = TestSequences.OneBytePerSegment(Bytes.Hex(hex));
            Assert.Throws<MsgPackException>(() => Bytes.ReadWhole(input));
        }
    }

    public static TheoryData<string, string, int> DepthBombs => new()
    {
        { "arrays", "91", 1 },
        { "array 16 headers", "dc 00 01", 3 },
        { "array 32 headers", "dd 00 00 00 01", 5 },
        { "maps nested as values", "81 c0", 2 },
        { "maps nested as keys", "81", 1 },
        { "arrays and maps", "91 81 a1 6b", 4 },
    };

    [Theory]
    [MemberData(nameof(DepthBombs))]
    public void DepthBombStopsAtTheDefaultDepthOf64(string name, string unitHex, int unitLength)
    {
        byte[] unit = Bytes.Hex(unitHex);
        byte[] bomb = Enumerable.Repeat(unit, 100_000).SelectMany(u => u).ToArray();

        MsgPackException parse = null!;
        long allocated = Allocations.Measure(() => parse = Assert.Throws<MsgPackException>(() => MsgPackValue.Parse(bomb)));
        Assert.InRange(allocated, 0, SmallAllocation);

        // The first container past the limit is the offending value. Each unit is one level deep
        // ("arrays and maps" units hold two levels).
        int levelsPerUnit = name == "arrays and maps" ? 2 : 1;
        int unitsAllowed = 64 / levelsPerUnit;
        Assert.True(unitsAllowed * unitLength == parse.Offset, $"{name}: offset {parse.Offset} ({parse.Message})");
        Assert.Contains("Nesting", parse.Message, StringComparison.Ordinal);

        var reader = new MsgPackReader(bomb);
        MsgPackException skip = ReaderAssert.Throws(ref reader, (ref MsgPackReader r) => r.Skip());
        Assert.Equal(parse.Offset, skip.Offset);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(64)]
    [InlineData(1000)]
    public void NestingExactlyAtMaxDepthIsAcceptedAndOneMoreIsNot(int maxDepth)
    {
        var options = new MsgPackReaderOptions { MaxDepth = maxDepth };
        byte[] atLimit = Bytes.Concat(Enumerable.Repeat((byte)0x91, maxDepth).ToArray(), [MsgPackCode.Nil]);
        byte[] overLimit = Bytes.Concat([0x91], atLimit);

        MsgPackValue value = MsgPackValue.Parse(atLimit, options);
        Assert.Equal(atLimit, value.ToBytes());
        var skipper = new MsgPackReader(atLimit, options);
        skipper.Skip();
        Assert.True(skipper.End);
        Assert.Equal(0, skipper.Depth);

        MsgPackException ex = Assert.Throws<MsgPackException>(() => MsgPackValue.Parse(overLimit, options));
        Assert.Equal(maxDepth, ex.Offset);
        var reader = new MsgPackReader(overLimit, options);
        ReaderAssert.Throws(ref reader, (ref MsgPackReader r) => r.Skip());
    }

    [Fact]
    public void InputLargerThanMaxTotalSizeIsRefusedBeforeReading()
    {
        var options = new MsgPackReaderOptions { MaxTotalSize = 10 };
        byte[] ten = Bytes.Hex("99 00 01 02 03 04 05 06 07 08");
        byte[] eleven = Bytes.Hex("9a 00 01 02 03 04 05 06 07 08 09");
        Assert.Equal(9, MsgPackValue.Parse(ten, options).AsArray().Length);

        MsgPackException ex = Assert.Throws<MsgPackException>(() => MsgPackValue.Parse(eleven, options));
        Assert.Equal(0, ex.Offset);
        Assert.Throws<MsgPackException>(() => new MsgPackReader(TestSequences.OneBytePerSegment(eleven), options));
        Assert.Throws<MsgPackException>(() => new MsgPackReader(new byte[11], options));
    }

    [Fact]
    public void CollectionsLongerThanMaxCollectionLengthAreRefusedAtTheirHeader()
    {
        var options = new MsgPackReaderOptions { MaxCollectionLength = 3 };
        Assert.Equal(3, MsgPackValue.Parse(Bytes.Hex("93 01 02 03"), options).AsArray().Length);
        Assert.Equal(3, MsgPackValue.Parse(Bytes.Hex("83 01 01 02 02 03 03"), options).AsMap().Count);

        byte[] longArray = Bytes.Hex("92 01 94 01 02 03 04");
        byte[] longMap = Bytes.Hex("81 a1 6d 84 01 01 02 02 03 03 04 04");
        byte[] longArray16 = Bytes.Hex("dc 00 04 01 02 03 04");
        Assert.Equal(2, Assert.Throws<MsgPackException>(() => MsgPackValue.Parse(longArray, options)).Offset);
        Assert.Equal(3, Assert.Throws<MsgPackException>(() => MsgPackValue.Parse(longMap, options)).Offset);
        Assert.Equal(0, Assert.Throws<MsgPackException>(() => MsgPackValue.Parse(longArray16, options)).Offset);

        foreach (byte[] bytes in new[] { longArray, longMap, longArray16 })
        {
            var reader = new MsgPackReader(bytes, options);
            ReaderAssert.Throws(ref reader, (ref MsgPackReader r) => r.Skip());
        }

        var none = new MsgPackReaderOptions { MaxCollectionLength = 0 };
        Assert.Empty(MsgPackValue.Parse(Bytes.Hex("90"), none).AsArray());
        Assert.Throws<MsgPackException>(() => MsgPackValue.Parse(Bytes.Hex("91 c0"), none));
    }

    [Fact]
    public void TrailingBytesAfterTheValueAreRejectedByParse()
    {
        MsgPackException ex = Assert.Throws<MsgPackException>(() => MsgPackValue.Parse(Bytes.Hex("92 01 02 03")));
        Assert.Equal(3, ex.Offset);
        Assert.Throws<MsgPackException>(() => MsgPackValue.Parse(Bytes.Hex("a1 61 61")));
    }

    [Fact]
    public void StrDeclaringFewerBytesThanItsBodyLeavesTrailingBytes()
    {
        // str 8 declaring 2 bytes followed by 3: the third is an extra value.
        MsgPackException ex = Assert.Throws<MsgPackException>(() => MsgPackValue.Parse(Bytes.Hex("d9 02 61 62 63")));
        Assert.Equal(4, ex.Offset);
    }

    [Fact]
    public void NeverUsedByteIsRejectedByEveryRead()
    {
        byte[] bytes = Bytes.Hex("c1");
        Assert.Equal(0, Assert.Throws<MsgPackException>(() => MsgPackValue.Parse(bytes)).Offset);
        var reader = new MsgPackReader(bytes);
        Assert.Equal(MsgPackType.Unknown, reader.NextType);
        ReaderAssert.Throws(ref reader, (ref MsgPackReader r) => r.Skip());
        ReaderAssert.Throws(ref reader, (ref MsgPackReader r) => r.ReadRaw());
        ReaderAssert.Throws(ref reader, (ref MsgPackReader r) => r.ReadInt64());
        ReaderAssert.Throws(ref reader, (ref MsgPackReader r) => r.ReadString());
        ReaderAssert.Throws(ref reader, (ref MsgPackReader r) => r.ReadNil());
        Assert.Equal(0, reader.Consumed);
    }

    [Fact]
    public void InvalidUtf8IsReportedWithTheDecoderErrorAsInnerException()
    {
        MsgPackException ex = Assert.Throws<MsgPackException>(() => MsgPackValue.Parse(Bytes.Hex("a2 c3 28")));
        Assert.IsAssignableFrom<System.Text.DecoderFallbackException>(ex.InnerException);
        Assert.Contains("UTF-8", ex.Message, StringComparison.Ordinal);
    }

    // Skipping either succeeds or throws MsgPackException; with mustThrow it must throw.
    private static void SkipOrThrowMsgPackException(byte[] bytes, bool mustThrow = false)
    {
        var reader = new MsgPackReader(bytes);
        try
        {
            reader.Skip();
        }
        catch (MsgPackException)
        {
            return;
        }

        Assert.False(mustThrow, "Skip accepted malformed input");
    }
}
