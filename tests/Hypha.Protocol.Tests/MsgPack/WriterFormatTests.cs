using System.Buffers;
using System.Text;
using Hypha.Protocol.MsgPack;

namespace Hypha.Protocol.Tests.MsgPack;

/// <summary>Exact bytes for every format at every size boundary, through the primitives, the writer and the value model.</summary>
public class WriterFormatTests
{
    public static TheoryData<long, string> SignedIntegers => new()
    {
        { 0, "00" },
        { 1, "01" },
        { 127, "7f" },
        { 128, "cc 80" },
        { 255, "cc ff" },
        { 256, "cd 01 00" },
        { 65535, "cd ff ff" },
        { 65536, "ce 00 01 00 00" },
        { uint.MaxValue, "ce ff ff ff ff" },
        { 1L << 32, "cf 00 00 00 01 00 00 00 00" },
        { long.MaxValue, "cf 7f ff ff ff ff ff ff ff" },
        { -1, "ff" },
        { -32, "e0" },
        { -33, "d0 df" },
        { -128, "d0 80" },
        { -129, "d1 ff 7f" },
        { -32768, "d1 80 00" },
        { -32769, "d2 ff ff 7f ff" },
        { int.MinValue, "d2 80 00 00 00" },
        { int.MinValue - 1L, "d3 ff ff ff ff 7f ff ff ff" },
        { long.MinValue, "d3 80 00 00 00 00 00 00 00" },
    };

    public static TheoryData<ulong, string> UnsignedIntegers => new()
    {
        { 0, "00" },
        { 127, "7f" },
        { 128, "cc 80" },
        { 255, "cc ff" },
        { 256, "cd 01 00" },
        { 65535, "cd ff ff" },
        { 65536, "ce 00 01 00 00" },
        { uint.MaxValue, "ce ff ff ff ff" },
        { 1UL << 32, "cf 00 00 00 01 00 00 00 00" },
        { (ulong)long.MaxValue + 1, "cf 80 00 00 00 00 00 00 00" },
        { ulong.MaxValue, "cf ff ff ff ff ff ff ff ff" },
    };

    [Theory]
    [MemberData(nameof(SignedIntegers))]
    public void SignedIntegerUsesTheSmallestFormatEverywhere(long value, string hex)
    {
        byte[] expected = Bytes.Hex(hex);
        AssertPrimitive(expected, (Span<byte> d, out int n) => MsgPackPrimitives.TryWriteInt64(d, value, out n));
        Assert.Equal(expected, Bytes.Write((ref MsgPackWriter w) => w.Write(value)));
        Assert.Equal(expected, ((MsgPackValue)value).ToBytes());

        var reader = new MsgPackReader(expected);
        Assert.Equal(value, reader.ReadInt64());
        Assert.True(reader.End);
        MsgPackValue parsed = MsgPackValue.Parse(expected);
        Assert.Equal(MsgPackValueKind.Integer, parsed.Kind);
        Assert.Equal(value, parsed.AsInt64());
    }

    [Theory]
    [MemberData(nameof(UnsignedIntegers))]
    public void UnsignedIntegerUsesTheSmallestFormatEverywhere(ulong value, string hex)
    {
        byte[] expected = Bytes.Hex(hex);
        AssertPrimitive(expected, (Span<byte> d, out int n) => MsgPackPrimitives.TryWriteUInt64(d, value, out n));
        Assert.Equal(expected, Bytes.Write((ref MsgPackWriter w) => w.Write(value)));
        Assert.Equal(expected, ((MsgPackValue)value).ToBytes());

        var reader = new MsgPackReader(expected);
        Assert.Equal(value, reader.ReadUInt64());
        MsgPackValue parsed = MsgPackValue.Parse(expected);
        Assert.Equal(value > long.MaxValue ? MsgPackValueKind.UInt64 : MsgPackValueKind.Integer, parsed.Kind);
        Assert.Equal(value, parsed.AsUInt64());
    }

    [Fact]
    public void RandomIntegersAreWrittenInTheSmallestFormatThatHoldsThem()
    {
        var random = new Random(20240611);
        Span<byte> buffer = stackalloc byte[9];
        for (int i = 0; i < 20_000; i++)
        {
            // Spread over every magnitude: a random 64-bit pattern shifted right by a random amount.
            long value = random.NextInt64(long.MinValue, long.MaxValue) >> random.Next(64);
            Assert.True(MsgPackPrimitives.TryWriteInt64(buffer, value, out int written));
            int expected = value switch
            {
                >= -32 and <= 127 => 1,
                >= sbyte.MinValue and <= byte.MaxValue => 2,
                >= short.MinValue and <= ushort.MaxValue => 3,
                >= int.MinValue and <= uint.MaxValue => 5,
                _ => 9,
            };
            Assert.Equal(expected, written);
            Assert.Equal(MsgPackReadStatus.Success, MsgPackPrimitives.TryReadInt64(buffer[..written], out long back, out int read));
            Assert.Equal(value, back);
            Assert.Equal(written, read);
        }
    }

    [Fact]
    public void NilAndBooleansHaveTheirSingleByteCodes()
    {
        AssertPrimitive(Bytes.Hex("c0"), (Span<byte> d, out int n) => MsgPackPrimitives.TryWriteNil(d, out n));
        AssertPrimitive(Bytes.Hex("c2"), (Span<byte> d, out int n) => MsgPackPrimitives.TryWriteBoolean(d, false, out n));
        AssertPrimitive(Bytes.Hex("c3"), (Span<byte> d, out int n) => MsgPackPrimitives.TryWriteBoolean(d, true, out n));
        Assert.Equal(Bytes.Hex("c0 c2 c3 c0"), Bytes.Write((ref MsgPackWriter w) =>
        {
            w.WriteNil();
            w.Write(false);
            w.Write(true);
            w.Write((string?)null);
        }));
        Assert.Equal(Bytes.Hex("c0"), MsgPackValue.Nil.ToBytes());
        Assert.Equal(Bytes.Hex("c3"), ((MsgPackValue)true).ToBytes());
    }

    [Theory]
    [InlineData(2.0, "cb 40 00 00 00 00 00 00 00")]
    [InlineData(0.0, "cb 00 00 00 00 00 00 00 00")]
    [InlineData(-0.0, "cb 80 00 00 00 00 00 00 00")]
    [InlineData(1.5, "cb 3f f8 00 00 00 00 00 00")]
    [InlineData(double.PositiveInfinity, "cb 7f f0 00 00 00 00 00 00")]
    [InlineData(double.Epsilon, "cb 00 00 00 00 00 00 00 01")]
    [InlineData(double.MaxValue, "cb 7f ef ff ff ff ff ff ff")]
    public void DoubleIsAlwaysFloat64EvenWhenWholeOrSmall(double value, string hex)
    {
        byte[] expected = Bytes.Hex(hex);
        AssertPrimitive(expected, (Span<byte> d, out int n) => MsgPackPrimitives.TryWriteDouble(d, value, out n));
        Assert.Equal(expected, Bytes.Write((ref MsgPackWriter w) => w.Write(value)));
        Assert.Equal(expected, ((MsgPackValue)value).ToBytes());
        MsgPackValue parsed = MsgPackValue.Parse(expected);
        Assert.Equal(MsgPackValueKind.Float64, parsed.Kind);
        Assert.Equal(BitConverter.DoubleToInt64Bits(value), BitConverter.DoubleToInt64Bits(parsed.AsDouble()));
    }

    [Theory]
    [InlineData(2.0f, "ca 40 00 00 00")]
    [InlineData(1.5f, "ca 3f c0 00 00")]
    [InlineData(-0.0f, "ca 80 00 00 00")]
    [InlineData(float.NegativeInfinity, "ca ff 80 00 00")]
    [InlineData(float.Epsilon, "ca 00 00 00 01")]
    public void SingleIsAlwaysFloat32(float value, string hex)
    {
        byte[] expected = Bytes.Hex(hex);
        AssertPrimitive(expected, (Span<byte> d, out int n) => MsgPackPrimitives.TryWriteSingle(d, value, out n));
        Assert.Equal(expected, Bytes.Write((ref MsgPackWriter w) => w.Write(value)));
        Assert.Equal(expected, ((MsgPackValue)value).ToBytes());
        MsgPackValue parsed = MsgPackValue.Parse(expected);
        Assert.Equal(MsgPackValueKind.Float32, parsed.Kind);
        Assert.Equal(expected, parsed.ToBytes());
    }

    [Fact]
    public void NaNKeepsItsBitPatternInBothWidths()
    {
        byte[] nan64 = Bytes.Hex("cb 7f f8 00 00 00 00 00 01");
        byte[] nan32 = Bytes.Hex("ca 7f c0 00 01");
        Assert.Equal(nan64, MsgPackValue.Parse(nan64).ToBytes());
        Assert.Equal(nan32, MsgPackValue.Parse(nan32).ToBytes());
        Assert.Equal(MsgPackValueKind.Float32, MsgPackValue.Parse(nan32).Kind);
    }

    [Theory]
    [InlineData(0, "a0")]
    [InlineData(1, "a1")]
    [InlineData(31, "bf")]
    [InlineData(32, "d9 20")]
    [InlineData(255, "d9 ff")]
    [InlineData(256, "da 01 00")]
    [InlineData(65535, "da ff ff")]
    [InlineData(65536, "db 00 01 00 00")]
    [InlineData(70000, "db 00 01 11 70")]
    public void StringHeaderIsTheSmallestForTheUtf8ByteLength(int length, string headerHex)
    {
        byte[] header = Bytes.Hex(headerHex);
        AssertPrimitive(header, (Span<byte> d, out int n) => MsgPackPrimitives.TryWriteStringHeader(d, (uint)length, out n));

        string text = new('s', length);
        byte[] expected = Bytes.Concat(header, Encoding.UTF8.GetBytes(text));
        Assert.Equal(expected, Bytes.Write((ref MsgPackWriter w) => w.Write(text)));
        Assert.Equal(expected, Bytes.Write((ref MsgPackWriter w) => w.WriteString(Encoding.UTF8.GetBytes(text).AsSpan())));
        Assert.Equal(expected, ((MsgPackValue)text).ToBytes());
        Assert.Equal(text, MsgPackValue.Parse(expected).AsString());
    }

    [Fact]
    public void StringLengthCountsUtf8BytesNotChars()
    {
        // 16 chars of two bytes each: 32 bytes, one past the fixstr limit.
        string text = new('é', 16);
        byte[] bytes = ((MsgPackValue)text).ToBytes();
        Assert.Equal(Bytes.Hex("d9 20"), bytes[..2]);
        Assert.Equal(34, bytes.Length);

        // A surrogate pair is one 4-byte UTF-8 sequence.
        Assert.Equal(Bytes.Hex("a4 f0 9f 98 80"), ((MsgPackValue)"😀").ToBytes());
    }

    [Theory]
    [InlineData(0, "c4 00")]
    [InlineData(1, "c4 01")]
    [InlineData(31, "c4 1f")]
    [InlineData(32, "c4 20")]
    [InlineData(255, "c4 ff")]
    [InlineData(256, "c5 01 00")]
    [InlineData(65535, "c5 ff ff")]
    [InlineData(65536, "c6 00 01 00 00")]
    public void BytesAreAlwaysBinWithTheSmallestHeader(int length, string headerHex)
    {
        byte[] header = Bytes.Hex(headerHex);
        AssertPrimitive(header, (Span<byte> d, out int n) => MsgPackPrimitives.TryWriteBinaryHeader(d, (uint)length, out n));

        byte[] data = Bytes.Pattern(length);
        byte[] expected = Bytes.Concat(header, data);
        Assert.Equal(expected, Bytes.Write((ref MsgPackWriter w) => w.WriteBinary(data)));
        Assert.Equal(expected, Bytes.Write((ref MsgPackWriter w) => w.WriteBinary(TestSequences.SplitAt(data, length / 3, length / 2))));
        Assert.Equal(expected, ((MsgPackValue)data).ToBytes());
        Assert.Equal(expected, ((MsgPackValue)new ReadOnlyMemory<byte>(Bytes.Concat([9], data, [9]), 1, length)).ToBytes());
        MsgPackValue parsed = MsgPackValue.Parse(expected);
        Assert.Equal(MsgPackValueKind.Binary, parsed.Kind);
        Assert.Equal(data, parsed.AsBinary().ToArray());
    }

    [Theory]
    [InlineData(0, "90")]
    [InlineData(15, "9f")]
    [InlineData(16, "dc 00 10")]
    [InlineData(65535, "dc ff ff")]
    [InlineData(65536, "dd 00 01 00 00")]
    public void ArrayHeaderIsTheSmallestForTheCount(int count, string headerHex)
    {
        byte[] header = Bytes.Hex(headerHex);
        AssertPrimitive(header, (Span<byte> d, out int n) => MsgPackPrimitives.TryWriteArrayHeader(d, (uint)count, out n));
        Assert.Equal(header, Bytes.Write((ref MsgPackWriter w) => w.WriteArrayHeader(count)));

        var items = new MsgPackValue[count];
        Array.Fill(items, true);
        byte[] expected = Bytes.Concat(header, Enumerable.Repeat(MsgPackCode.True, count).ToArray());
        byte[] encoded = ((MsgPackValue)items).ToBytes();
        Assert.Equal(expected, encoded);
        Assert.Equal(count, MsgPackValue.Parse(encoded).AsArray().Length);
    }

    [Theory]
    [InlineData(0, "80")]
    [InlineData(15, "8f")]
    [InlineData(16, "de 00 10")]
    [InlineData(65535, "de ff ff")]
    [InlineData(65536, "df 00 01 00 00")]
    public void MapHeaderIsTheSmallestForThePairCount(int count, string headerHex)
    {
        byte[] header = Bytes.Hex(headerHex);
        AssertPrimitive(header, (Span<byte> d, out int n) => MsgPackPrimitives.TryWriteMapHeader(d, (uint)count, out n));
        Assert.Equal(header, Bytes.Write((ref MsgPackWriter w) => w.WriteMapHeader(count)));

        var map = new MsgPackMap(count);
        for (int i = 0; i < count; i++)
        {
            map.Add(MsgPackValue.Nil, false);
        }

        byte[] expected = Bytes.Concat(header, Enumerable.Repeat(Bytes.Hex("c0 c2"), count).SelectMany(p => p).ToArray());
        byte[] encoded = ((MsgPackValue)map).ToBytes();
        Assert.Equal(expected, encoded);
        Assert.Equal(count, MsgPackValue.Parse(encoded).AsMap().Count);
    }

    [Theory]
    [InlineData(1, "d4 05")]
    [InlineData(2, "d5 05")]
    [InlineData(4, "d6 05")]
    [InlineData(8, "d7 05")]
    [InlineData(16, "d8 05")]
    [InlineData(0, "c7 00 05")]
    [InlineData(3, "c7 03 05")]
    [InlineData(5, "c7 05 05")]
    [InlineData(17, "c7 11 05")]
    [InlineData(255, "c7 ff 05")]
    [InlineData(256, "c8 01 00 05")]
    [InlineData(65535, "c8 ff ff 05")]
    [InlineData(65536, "c9 00 01 00 00 05")]
    public void ExtensionUsesFixextForExactSizesElseTheSmallestExt(int length, string headerHex)
    {
        byte[] header = Bytes.Hex(headerHex);
        var extHeader = new ExtensionHeader(5, (uint)length);
        AssertPrimitive(header, (Span<byte> d, out int n) => MsgPackPrimitives.TryWriteExtensionHeader(d, extHeader, out n));

        byte[] data = Bytes.Pattern(length);
        byte[] expected = Bytes.Concat(header, data);
        Assert.Equal(expected, Bytes.Write((ref MsgPackWriter w) => w.WriteExtension(5, data)));
        Assert.Equal(expected, MsgPackValue.Extension(5, data).ToBytes());

        var reader = new MsgPackReader(expected);
        ReadOnlySequence<byte> body = reader.ReadExtension(out ExtensionHeader read);
        Assert.Equal(extHeader, read);
        Assert.Equal(data, body.ToArray());
        Assert.True(reader.End);

        MsgPackValue parsed = MsgPackValue.Parse(expected);
        Assert.Equal(MsgPackValueKind.Extension, parsed.Kind);
        (sbyte type, ReadOnlyMemory<byte> parsedData) = parsed.AsExtension();
        Assert.Equal(5, type);
        Assert.Equal(data, parsedData.ToArray());
    }

    [Theory]
    [InlineData(-128, "d4 80 00")]
    [InlineData(-2, "d4 fe 00")]
    [InlineData(127, "d4 7f 00")]
    public void ExtensionTypeCodeIsWrittenAsASignedByte(int type, string hex)
    {
        byte[] expected = Bytes.Hex(hex);
        Assert.Equal(expected, MsgPackValue.Extension((sbyte)type, [0]).ToBytes());
        Assert.Equal((sbyte)type, MsgPackValue.Parse(expected).AsExtension().TypeCode);
    }

    [Fact]
    public void MaxLengthConstantsCoverTheLongestEncodings()
    {
        Span<byte> buffer = stackalloc byte[16];
        Assert.True(MsgPackPrimitives.TryWriteExtensionHeader(buffer, new ExtensionHeader(1, uint.MaxValue), out int header));
        Assert.Equal(MsgPackPrimitives.MaxHeaderLength, header);
        Assert.True(MsgPackPrimitives.TryWriteInt64(buffer, long.MinValue, out int scalar));
        Assert.Equal(MsgPackPrimitives.MaxScalarLength, scalar);
        Assert.True(MsgPackPrimitives.TryWriteStringHeader(buffer, uint.MaxValue, out int str));
        Assert.Equal(Bytes.Hex("db ff ff ff ff"), buffer[..str].ToArray());
    }

    [Fact]
    public void StringsAreStrAndBytesAreBinInAMixedDocument()
    {
        var map = new MsgPackMap { { "s", "ab" }, { "b", new byte[] { 0x61, 0x62 } } };
        Assert.Equal(Bytes.Hex("82 a1 73 a2 61 62 a1 62 c4 02 61 62"), ((MsgPackValue)map).ToBytes());
    }

    [Fact]
    public void NegativeLengthsAndCountsAreRejected()
    {
        var output = new ArrayBufferWriter<byte>();
        Assert.Throws<ArgumentOutOfRangeException>(() => { var w = new MsgPackWriter(output); w.WriteArrayHeader(-1); });
        Assert.Throws<ArgumentOutOfRangeException>(() => { var w = new MsgPackWriter(output); w.WriteMapHeader(-1); });
        Assert.Throws<ArgumentOutOfRangeException>(() => { var w = new MsgPackWriter(output); w.WriteStringHeader(-1); });
        Assert.Throws<ArgumentOutOfRangeException>(() => { var w = new MsgPackWriter(output); w.WriteBinaryHeader(-1); });
        Assert.Equal(0, output.WrittenCount);
    }

    private delegate bool TryWrite(Span<byte> destination, out int bytesWritten);

    // The primitive writes exactly the expected bytes into a buffer of any larger size, and into a buffer one
    // byte too short it writes nothing at all and says so.
    private static void AssertPrimitive(byte[] expected, TryWrite tryWrite)
    {
        var roomy = new byte[expected.Length + 8];
        Assert.True(tryWrite(roomy, out int written));
        Assert.Equal(expected.Length, written);
        Assert.Equal(Bytes.ToHex(expected), Bytes.ToHex(roomy.AsSpan(0, written)));

        var exact = new byte[expected.Length];
        Assert.True(tryWrite(exact, out written));
        Assert.Equal(expected, exact);

        var shorter = new byte[expected.Length - 1];
        Array.Fill(shorter, (byte)0xee);
        Assert.False(tryWrite(shorter, out written));
        Assert.Equal(0, written);
        Assert.All(shorter, b => Assert.Equal(0xee, b));
    }
}
