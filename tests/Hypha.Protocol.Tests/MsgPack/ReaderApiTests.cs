using System.Buffers;
using Hypha.Protocol.MsgPack;

namespace Hypha.Protocol.Tests.MsgPack;

/// <summary>The typed reads of <see cref="MsgPackReader"/>: conversions, overflows, nil handling and peeking.</summary>
public class ReaderApiTests
{
    [Theory]
    [InlineData("d2 7f ff ff ff", int.MaxValue)]
    [InlineData("ce 7f ff ff ff", int.MaxValue)]
    [InlineData("d2 80 00 00 00", int.MinValue)]
    [InlineData("d3 ff ff ff ff 80 00 00 00", int.MinValue)]
    [InlineData("cf 00 00 00 00 00 00 00 07", 7)]
    public void ReadInt32AcceptsEveryFormatWithinRange(string hex, int expected)
    {
        var reader = new MsgPackReader(Bytes.Hex(hex));
        Assert.Equal(expected, reader.ReadInt32());
        Assert.True(reader.End);
    }

    [Theory]
    [InlineData("ce 80 00 00 00")]
    [InlineData("d3 ff ff ff ff 7f ff ff ff")]
    [InlineData("cf ff ff ff ff ff ff ff ff")]
    public void ReadInt32OfAWiderValueThrowsAtTheValue(string hex)
    {
        var reader = new MsgPackReader(Bytes.Concat([MsgPackCode.MinFixArray | 1], Bytes.Hex(hex)));
        reader.ReadArrayHeader();
        MsgPackException ex = ReaderAssert.Throws(ref reader, (ref MsgPackReader r) => r.ReadInt32());
        Assert.Equal(1, ex.Offset);
    }

    [Theory]
    [InlineData("ff")]
    [InlineData("d0 ff")]
    [InlineData("d3 80 00 00 00 00 00 00 00")]
    public void ReadUInt64OfANegativeThrowsAndConsumesNothing(string hex)
    {
        var reader = new MsgPackReader(Bytes.Hex(hex));
        MsgPackException ex = ReaderAssert.Throws(ref reader, (ref MsgPackReader r) => r.ReadUInt64());
        Assert.Equal(0, ex.Offset);
        Assert.Equal(0, reader.Consumed);
        Assert.True(reader.ReadInt64() < 0); // still readable as what it is
    }

    [Fact]
    public void ReadInt64OfAUInt64AboveLongMaxThrows()
    {
        var reader = new MsgPackReader(Bytes.Hex("cf 80 00 00 00 00 00 00 00"));
        ReaderAssert.Throws(ref reader, (ref MsgPackReader r) => r.ReadInt64());
        Assert.Equal(0x8000_0000_0000_0000UL, reader.ReadUInt64());

        var atMax = new MsgPackReader(Bytes.Hex("cf 7f ff ff ff ff ff ff ff"));
        Assert.Equal(long.MaxValue, atMax.ReadInt64());
    }

    [Fact]
    public void ReadIntegerBitsTellsSignedFromUnsigned()
    {
        var reader = new MsgPackReader(Bytes.Hex("ff cf ff ff ff ff ff ff ff ff 05 cc 05"));
        Assert.Equal(ulong.MaxValue, reader.ReadIntegerBits(out bool signed));
        Assert.True(signed);
        Assert.Equal(ulong.MaxValue, reader.ReadIntegerBits(out signed));
        Assert.False(signed);
        Assert.Equal(5UL, reader.ReadIntegerBits(out signed));
        Assert.True(signed); // fixint counts as signed
        Assert.Equal(5UL, reader.ReadIntegerBits(out signed));
        Assert.False(signed);
    }

    [Theory]
    [InlineData("05", 5.0)]
    [InlineData("e0", -32.0)]
    [InlineData("cd 01 00", 256.0)]
    [InlineData("d3 80 00 00 00 00 00 00 00", -9223372036854775808.0)]
    [InlineData("cf ff ff ff ff ff ff ff ff", 18446744073709551615.0)]
    [InlineData("ca 3f c0 00 00", 1.5)]
    [InlineData("cb 3f b9 99 99 99 99 99 9a", 0.1)]
    public void ReadDoubleAcceptsIntegersAndBothFloatWidths(string hex, double expected)
    {
        var reader = new MsgPackReader(Bytes.Hex(hex));
        Assert.Equal(expected, reader.ReadDouble());
        Assert.True(reader.End);
    }

    [Theory]
    [InlineData("cb 3f b9 99 99 99 99 99 9a", 0.1f)]
    [InlineData("ca 3d cc cc cd", 0.1f)]
    [InlineData("d1 ff 00", -256f)]
    public void ReadSingleAcceptsEveryNumber(string hex, float expected)
    {
        var reader = new MsgPackReader(Bytes.Hex(hex));
        Assert.Equal(expected, reader.ReadSingle());
    }

    [Theory]
    [InlineData("c0")]
    [InlineData("c3")]
    [InlineData("a1 31")]
    public void ReadDoubleOfANonNumberThrows(string hex)
    {
        var reader = new MsgPackReader(Bytes.Hex(hex));
        ReaderAssert.Throws(ref reader, (ref MsgPackReader r) => r.ReadDouble());
        Assert.Equal(0, reader.Consumed);
    }

    [Fact]
    public void ReadStringAndReadBytesOfNilReturnNull()
    {
        var reader = new MsgPackReader(Bytes.Hex("c0 c0 a0 c4 00"));
        Assert.Null(reader.ReadString());
        Assert.Null(reader.ReadBytes());
        Assert.Equal("", reader.ReadString());
        Assert.Equal(0, reader.ReadBytes()!.Value.Length);
        Assert.True(reader.End);
    }

    [Fact]
    public void ReadStringOfBinThrowsAndReadBytesOfStrThrows()
    {
        var reader = new MsgPackReader(Bytes.Hex("c4 01 61 a1 61"));
        ReaderAssert.Throws(ref reader, (ref MsgPackReader r) => r.ReadString());
        Assert.Equal(1, reader.ReadBytes()!.Value.Length);
        ReaderAssert.Throws(ref reader, (ref MsgPackReader r) => r.ReadBytes());
        Assert.Equal("a", reader.ReadString());
    }

    [Fact]
    public void TryReadNilConsumesOnlyNil()
    {
        var reader = new MsgPackReader(Bytes.Hex("c0 01"));
        Assert.True(reader.TryReadNil());
        Assert.Equal(1, reader.Consumed);
        Assert.False(reader.TryReadNil());
        Assert.Equal(1, reader.Consumed);
        Assert.Equal(1, reader.ReadInt64());
        Assert.False(reader.TryReadNil()); // at the end
        Assert.True(reader.End);
    }

    [Theory]
    [InlineData("c0", MsgPackType.Nil)]
    [InlineData("c2", MsgPackType.Boolean)]
    [InlineData("c3", MsgPackType.Boolean)]
    [InlineData("00", MsgPackType.Integer)]
    [InlineData("7f", MsgPackType.Integer)]
    [InlineData("e0", MsgPackType.Integer)]
    [InlineData("ff", MsgPackType.Integer)]
    [InlineData("cc", MsgPackType.Integer)]
    [InlineData("d3", MsgPackType.Integer)]
    [InlineData("ca", MsgPackType.Float)]
    [InlineData("cb", MsgPackType.Float)]
    [InlineData("a0", MsgPackType.String)]
    [InlineData("bf", MsgPackType.String)]
    [InlineData("d9", MsgPackType.String)]
    [InlineData("db", MsgPackType.String)]
    [InlineData("c4", MsgPackType.Binary)]
    [InlineData("c6", MsgPackType.Binary)]
    [InlineData("90", MsgPackType.Array)]
    [InlineData("9f", MsgPackType.Array)]
    [InlineData("dc", MsgPackType.Array)]
    [InlineData("dd", MsgPackType.Array)]
    [InlineData("80", MsgPackType.Map)]
    [InlineData("8f", MsgPackType.Map)]
    [InlineData("de", MsgPackType.Map)]
    [InlineData("df", MsgPackType.Map)]
    [InlineData("d4", MsgPackType.Extension)]
    [InlineData("d8", MsgPackType.Extension)]
    [InlineData("c7", MsgPackType.Extension)]
    [InlineData("c9", MsgPackType.Extension)]
    [InlineData("c1", MsgPackType.Unknown)]
    public void NextTypeTellsTheFamilyWithoutConsuming(string hex, MsgPackType expected)
    {
        byte[] bytes = Bytes.Hex(hex);
        var reader = new MsgPackReader(bytes);
        Assert.Equal(expected, reader.NextType);
        Assert.Equal(bytes[0], reader.NextCode);
        Assert.Equal(0, reader.Consumed);
        Assert.Equal(expected, MsgPackCode.ToType(bytes[0]));
    }

    [Fact]
    public void EveryFormatByteHasTheFamilyTheSpecificationGivesIt()
    {
        for (int code = 0; code <= 0xff; code++)
        {
            MsgPackType expected = code switch
            {
                <= 0x7f or >= 0xe0 or (>= 0xcc and <= 0xd3) => MsgPackType.Integer,
                <= 0x8f or 0xde or 0xdf => MsgPackType.Map,
                <= 0x9f or 0xdc or 0xdd => MsgPackType.Array,
                <= 0xbf or 0xd9 or 0xda or 0xdb => MsgPackType.String,
                0xc0 => MsgPackType.Nil,
                0xc1 => MsgPackType.Unknown,
                0xc2 or 0xc3 => MsgPackType.Boolean,
                0xc4 or 0xc5 or 0xc6 => MsgPackType.Binary,
                0xca or 0xcb => MsgPackType.Float,
                _ => MsgPackType.Extension, // c7-c9, d4-d8
            };
            Assert.True(expected == MsgPackCode.ToType((byte)code), $"0x{code:x2}");
        }
    }

    [Fact]
    public void NextCodeAtTheEndThrows()
    {
        var reader = new MsgPackReader(Bytes.Hex("c0"));
        reader.ReadNil();
        MsgPackException ex = ReaderAssert.Throws(ref reader, (ref MsgPackReader r) => _ = r.NextType);
        Assert.Equal(1, ex.Offset);
    }

    [Fact]
    public void AReadOfTheWrongTypeThrowsWithoutConsuming()
    {
        var reader = new MsgPackReader(Bytes.Hex("92 a1 78 c3"));
        reader.ReadArrayHeader();
        MsgPackException ex = ReaderAssert.Throws(ref reader, (ref MsgPackReader r) => r.ReadBoolean());
        Assert.Equal(1, ex.Offset);
        ReaderAssert.Throws(ref reader, (ref MsgPackReader r) => r.ReadInt64());
        ReaderAssert.Throws(ref reader, (ref MsgPackReader r) => r.ReadMapHeader());
        ReaderAssert.Throws(ref reader, (ref MsgPackReader r) => r.ReadArrayHeader());
        ReaderAssert.Throws(ref reader, (ref MsgPackReader r) => r.ReadExtensionHeader());
        ReaderAssert.Throws(ref reader, (ref MsgPackReader r) => r.ReadNil());
        Assert.Equal("x", reader.ReadString());
        Assert.True(reader.ReadBoolean());
    }

    [Fact]
    public void ACopyOfTheReaderIsAnIndependentCursor()
    {
        var reader = new MsgPackReader(Bytes.Hex("01 02"));
        MsgPackReader peek = reader;
        Assert.Equal(1, peek.ReadInt64());
        Assert.Equal(0, reader.Consumed);
        Assert.Equal(1, reader.ReadInt64());
        Assert.Equal(2, reader.ReadInt64());
        Assert.Equal(1, peek.Consumed);
    }

    [Fact]
    public void ReadRawReturnsTheExactBytesOfOneValue()
    {
        byte[] bytes = Bytes.Hex("93 81 a1 61 92 01 02 c4 01 ff d6 05 01 02 03 04 c3");
        var reader = new MsgPackReader(bytes);
        reader.ReadArrayHeader();
        Assert.Equal(Bytes.Hex("81 a1 61 92 01 02"), reader.ReadRaw().ToArray());
        Assert.Equal(Bytes.Hex("c4 01 ff"), reader.ReadRaw().ToArray());
        Assert.Equal(Bytes.Hex("d6 05 01 02 03 04"), reader.ReadRaw().ToArray());
        Assert.Equal(1, reader.Remaining);
    }

    [Fact]
    public void SkipDoesNotDecodeStringsButParseDoes()
    {
        // Skip checks structure only; decoding text is the job of ReadString.
        byte[] bytes = Bytes.Hex("a1 ff");
        var reader = new MsgPackReader(bytes);
        reader.Skip();
        Assert.True(reader.End);
        Assert.Equal(Bytes.Hex("ff"), new MsgPackReader(bytes).ReadStringSequence().ToArray()); // the body, undecoded
        Assert.Throws<MsgPackException>(() => MsgPackValue.Parse(bytes));
    }

    [Fact]
    public void DepthIsTrackedByEnterAndLeaveNested()
    {
        var options = new MsgPackReaderOptions { MaxDepth = 2 };
        var reader = new MsgPackReader(Bytes.Hex("c0"), options);
        reader.EnterNested();
        reader.EnterNested();
        Assert.Equal(2, reader.Depth);
        ReaderAssert.Throws(ref reader, (ref MsgPackReader r) => r.EnterNested());
        reader.LeaveNested();
        Assert.Equal(1, reader.Depth);
        Assert.Same(options, reader.Options);
    }

    [Fact]
    public void ReaderOptionsRejectNonsensicalLimits()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new MsgPackReaderOptions { MaxDepth = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new MsgPackReaderOptions { MaxDepth = 1001 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new MsgPackReaderOptions { MaxCollectionLength = -1 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new MsgPackReaderOptions { MaxTotalSize = -1 });
        Assert.Equal(64, MsgPackReaderOptions.Default.MaxDepth);
        Assert.Equal(16 * 1024 * 1024, MsgPackReaderOptions.Default.MaxCollectionLength);
        Assert.Equal(256L * 1024 * 1024, MsgPackReaderOptions.Default.MaxTotalSize);
    }

    [Fact]
    public void PositionAndSequenceDescribeTheInput()
    {
        ReadOnlySequence<byte> input = TestSequences.SplitAt(Bytes.Hex("01 a1 61 02"), 2);
        var reader = new MsgPackReader(input);
        reader.ReadInt64();
        reader.ReadString();
        Assert.Equal(3, input.Slice(0, reader.Position).Length);
        Assert.Equal(4, reader.Sequence.Length);
        Assert.Equal(1, reader.Remaining);
    }
}
