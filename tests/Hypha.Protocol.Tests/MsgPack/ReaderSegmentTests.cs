using System.Buffers;
using Hypha.Protocol.MsgPack;

namespace Hypha.Protocol.Tests.MsgPack;

/// <summary>
/// The reader gives the same results over any segmentation of the input as over one contiguous buffer:
/// every two-segment cut, one byte per segment, and with empty segments in between.
/// </summary>
public class ReaderSegmentTests
{
    public static TheoryData<string> Documents => SampleDocuments.Names();

    public static TheoryData<string> Malformed => MalformedDocuments.Names();

    [Theory]
    [MemberData(nameof(Documents))]
    public void ValueReadFromAnySegmentationEqualsTheContiguousRead(string name)
    {
        byte[] bytes = SampleDocuments.Get(name);
        MsgPackValue expected = MsgPackValue.Parse(bytes);
        byte[] expectedEncoding = expected.ToBytes();

        foreach ((string split, ReadOnlySequence<byte> sequence) in TestSequences.AllSplits(bytes))
        {
            var reader = new MsgPackReader(sequence);
            MsgPackValue value = MsgPackValue.Read(ref reader);
            Assert.True(expected == value, $"{split}: {value} != {expected}");
            Assert.Equal(bytes.Length, reader.Consumed);
            Assert.True(reader.End, split);
            Assert.Equal(expectedEncoding, value.ToBytes());
        }
    }

    [Theory]
    [MemberData(nameof(Documents))]
    public void SkipAndReadRawConsumeTheWholeValueInAnySegmentation(string name)
    {
        byte[] bytes = Bytes.Concat(SampleDocuments.Get(name), [MsgPackCode.True]);
        foreach ((string split, ReadOnlySequence<byte> sequence) in TestSequences.AllSplits(bytes))
        {
            var skipper = new MsgPackReader(sequence);
            skipper.Skip();
            Assert.Equal(bytes.Length - 1, skipper.Consumed);
            Assert.True(skipper.ReadBoolean(), split);

            var raw = new MsgPackReader(sequence);
            Assert.Equal(bytes[..^1], raw.ReadRaw().ToArray());
            Assert.Equal(MsgPackType.Boolean, raw.NextType);
        }
    }

    [Theory]
    [MemberData(nameof(Malformed))]
    public void MalformedInputFailsAtTheSameOffsetInAnySegmentation(string name)
    {
        (byte[] bytes, long offset) = MalformedDocuments.Get(name);
        var contiguous = Assert.Throws<MsgPackException>(() => MsgPackValue.Parse(bytes));
        Assert.Equal(offset, contiguous.Offset);

        foreach ((string split, ReadOnlySequence<byte> sequence) in TestSequences.AllSplits(bytes))
        {
            MsgPackException ex = Assert.Throws<MsgPackException>(() => Bytes.ReadWhole(sequence));
            Assert.True(offset == ex.Offset, $"{split}: offset {ex.Offset}, expected {offset} ({ex.Message})");
        }
    }

    [Fact]
    public void TypedReadsWorkWhenEveryHeaderAndBodyStraddlesSegments()
    {
        string text = "ab€😀" + new string('é', 40);
        byte[] blob = Bytes.Pattern(300);
        var timestamp = new MsgPackTimestamp(-5, 999_999_999);
        byte[] document = Bytes.Write((ref MsgPackWriter w) =>
        {
            w.WriteArrayHeader(16);
            w.WriteNil();
            w.Write(true);
            w.Write(-70_000L);
            w.Write(ulong.MaxValue);
            w.Write(1.25f);
            w.Write(-2.5);
            w.Write(text);
            w.WriteBinary(blob);
            w.WriteExtension(12, [1, 2, 3]);
            w.Write(timestamp);
            w.WriteMapHeader(1);
            w.Write("k");
            w.Write(int.MinValue);
            w.Write("raw utf8");
            w.Write((string?)null);
            w.WriteBinary([]);
            w.Write(123L);
            w.Write(12L);
        });

        foreach ((string split, ReadOnlySequence<byte> sequence) in TestSequences.AllSplits(document))
        {
            var r = new MsgPackReader(sequence);
            Assert.Equal(16, r.ReadArrayHeader());
            r.ReadNil();
            Assert.True(r.ReadBoolean());
            Assert.Equal(-70_000L, r.ReadInt64());
            Assert.Equal(ulong.MaxValue, r.ReadUInt64());
            Assert.Equal(1.25f, r.ReadSingle());
            Assert.Equal(-2.5, r.ReadDouble());
            Assert.Equal(text, r.ReadString());
            Assert.Equal(blob, r.ReadBytes()!.Value.ToArray());
            Assert.Equal(new byte[] { 1, 2, 3 }, r.ReadExtension(out ExtensionHeader header).ToArray());
            Assert.Equal(new ExtensionHeader(12, 3), header);
            Assert.Equal(timestamp, r.ReadTimestamp());
            Assert.Equal(1, r.ReadMapHeader());
            Assert.Equal("k", r.ReadString());
            Assert.Equal(int.MinValue, r.ReadInt32());
            Assert.Equal("raw utf8"u8.ToArray(), r.ReadStringSequence().ToArray());
            Assert.Null(r.ReadString());
            Assert.Empty(r.ReadBytes()!.Value.ToArray());
            Assert.Equal(123UL, r.ReadIntegerBits(out bool isSigned));
            Assert.True(isSigned);
            Assert.Equal(12.0, r.ReadDouble());
            Assert.True(r.End, split);
        }
    }

    [Fact]
    public void MultiByteCharactersSplitAcrossSegmentsDecodeToTheSameString()
    {
        // Every character is 2, 3 or 4 UTF-8 bytes, so most cuts land inside a character.
        string text = string.Concat(Enumerable.Repeat("é€😀", 30));
        byte[] bytes = ((MsgPackValue)text).ToBytes();
        foreach ((string split, ReadOnlySequence<byte> sequence) in TestSequences.AllSplits(bytes))
        {
            var reader = new MsgPackReader(sequence);
            Assert.True(text == reader.ReadString(), split);
        }
    }

    [Fact]
    public void ReadingTheTimestampDateTimeWorksAcrossSegments()
    {
        var when = new DateTime(2031, 5, 6, 7, 8, 9, DateTimeKind.Utc).AddTicks(1234567);
        byte[] bytes = Bytes.Write((ref MsgPackWriter w) => w.Write(when));
        Assert.Equal(10, bytes.Length); // the 64-bit form: 34-bit seconds and 30-bit nanoseconds
        foreach ((string split, ReadOnlySequence<byte> sequence) in TestSequences.AllSplits(bytes))
        {
            var reader = new MsgPackReader(sequence);
            Assert.True(when == reader.ReadDateTime(), split);
        }
    }

    [Fact]
    public void ReaderOverMemoryAndOverSequenceAgree()
    {
        byte[] bytes = SampleDocuments.Get("message");
        var fromMemory = new MsgPackReader(new ReadOnlyMemory<byte>(bytes));
        var fromSequence = new MsgPackReader(TestSequences.OneBytePerSegment(bytes));
        Assert.Equal(MsgPackValue.Read(ref fromMemory), MsgPackValue.Read(ref fromSequence));
        Assert.Equal(fromMemory.Consumed, fromSequence.Consumed);
    }
}
