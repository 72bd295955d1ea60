using System.Buffers;
using System.Text;
using Hypha.Protocol.MsgPack;

namespace Hypha.Protocol.Tests.MsgPack;

/// <summary>
/// The writer works with any <see cref="IBufferWriter{T}"/>, however small the spans it hands out, and
/// allocates nothing when the output already has room.
/// </summary>
public class WriterBufferTests
{
    public static TheoryData<int> Extras => new() { 0, 1, 3 };

    [Theory]
    [MemberData(nameof(Extras))]
    public void TinySpansGiveTheSameBytesForAWholeMessage(int maxExtra)
    {
        MsgPackValue message = SampleDocuments.Message();
        byte[] expected = message.ToBytes();

        var output = new TinySpanBufferWriter(maxExtra);
        var writer = new MsgPackWriter(output);
        message.WriteTo(ref writer);
        writer.Flush();

        Assert.Equal(Bytes.ToHex(expected), Bytes.ToHex(output.WrittenBytes));
        Assert.True(output.SpanCount > 30, $"only {output.SpanCount} spans: the test would not exercise small spans");
    }

    [Theory]
    [InlineData(4097)]
    [InlineData(300_000)]
    [InlineData(3 * 1024 * 1024)]
    public void LargeBinsReachAPooledWriterWholeAfterWhatWasWrittenBefore(int length)
    {
        byte[] data = new byte[length];
        new Random(length).NextBytes(data);
        using var pooled = new Hypha.Protocol.Buffers.PooledBufferWriter(16);
        var writer = new MsgPackWriter(pooled);
        writer.WriteString("before");
        writer.WriteBinary(data);
        writer.Write(42L);
        writer.Flush();

        var reader = new MsgPackReader(pooled.WrittenMemory);
        Assert.Equal("before", reader.ReadString());
        Assert.Equal(data, reader.ReadBytes()!.Value.ToArray());
        Assert.Equal(42, reader.ReadInt64());
        Assert.True(reader.End);
    }

    [Theory]
    [InlineData(4095, 0)]
    [InlineData(4096, 0)]
    [InlineData(4097, 0)]
    [InlineData(4097, 3)]
    [InlineData(100_000, 1)]
    public void LongStringsOfMultiByteCharactersWriteThroughTinySpans(int minUtf8Bytes, int maxExtra)
    {
        string text = MultiByteText(minUtf8Bytes);
        byte[] utf8 = Encoding.UTF8.GetBytes(text);
        byte[] expected = Bytes.Concat(Bytes.Write((ref MsgPackWriter w) => w.WriteStringHeader(utf8.Length)), utf8);

        var output = new TinySpanBufferWriter(maxExtra);
        var writer = new MsgPackWriter(output);
        writer.Write(text);
        writer.Write(true); // something after the string, through the same writer
        writer.Flush();

        Assert.Equal(Bytes.Concat(expected, [MsgPackCode.True]), output.WrittenBytes);
        Assert.Equal(text, MsgPackValue.Parse(expected).AsString());
    }

    [Fact]
    public void StringsBeyondOneMillionCharactersWriteThroughTinySpans()
    {
        // Past a million chars the text is encoded in pieces into whatever spans the output offers.
        string text = string.Concat(Enumerable.Repeat("a€😀é", 300_000));
        byte[] utf8 = Encoding.UTF8.GetBytes(text);

        var output = new TinySpanBufferWriter(maxExtra: 2);
        var writer = new MsgPackWriter(output);
        writer.Write(text);
        writer.Flush();

        byte[] written = output.WrittenBytes;
        Assert.Equal(MsgPackCode.Str32, written[0]);
        Assert.Equal(utf8.Length + 5, written.Length);
        Assert.True(utf8.AsSpan().SequenceEqual(written.AsSpan(5)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public void LargeBinAndExtAndRawWritesGoThroughTinySpans(int maxExtra)
    {
        byte[] big = Bytes.Pattern((1 << 20) + 3);
        byte[] ext = Bytes.Pattern(70_000, seed: 3);
        byte[] expected = Bytes.Write((ref MsgPackWriter w) =>
        {
            w.WriteBinary(big);
            w.WriteExtension(7, ext);
            w.WriteRaw(big.AsSpan(0, 5000));
            w.WriteBinary(TestSequences.SplitAt(ext, 10, 5000));
        });

        var output = new TinySpanBufferWriter(maxExtra);
        var writer = new MsgPackWriter(output);
        writer.WriteBinary(big);
        writer.WriteExtension(7, ext);
        writer.WriteRaw(big.AsSpan(0, 5000));
        writer.WriteBinary(TestSequences.SplitAt(ext, 10, 5000));
        writer.Flush();

        Assert.True(expected.AsSpan().SequenceEqual(output.WrittenBytes));
        Assert.Equal(Bytes.Hex("c6 00 10 00 03"), expected[..5]);
        var reader = new MsgPackReader(expected);
        Assert.True(big.AsSpan().SequenceEqual(reader.ReadBytes()!.Value.ToArray()));
        Assert.True(ext.AsSpan().SequenceEqual(reader.ReadExtension(out _).ToArray()));
    }

    [Fact]
    public void EveryScalarAndHeaderWritesThroughOneByteAtATimeSpans()
    {
        WriteAction all = (ref MsgPackWriter w) =>
        {
            w.WriteArrayHeader(70_000);
            w.WriteMapHeader(70_000);
            w.Write(long.MinValue);
            w.Write(ulong.MaxValue);
            w.Write(-1.5);
            w.Write(1.5f);
            w.Write(new MsgPackTimestamp(-1, 1));
            w.Write(new MsgPackTimestamp(1, 1));
            w.Write(new MsgPackTimestamp(1, 0));
            w.WriteExtensionHeader(new ExtensionHeader(-5, 70_000));
            w.WriteStringHeader(70_000);
            w.WriteBinaryHeader(70_000);
            w.Write("");
            w.WriteBinary([]);
            w.WriteNil();
        };
        byte[] expected = Bytes.Write(all);

        var output = new TinySpanBufferWriter(maxExtra: 0);
        var writer = new MsgPackWriter(output);
        all(ref writer);
        writer.Flush();
        Assert.Equal(Bytes.ToHex(expected), Bytes.ToHex(output.WrittenBytes));
    }

    [Fact]
    public void FlushCommitsEverythingAndTheWriterStaysUsable()
    {
        var output = new ArrayBufferWriter<byte>();
        var writer = new MsgPackWriter(output);
        writer.Write(1L);
        writer.Write("a");
        writer.Flush();
        Assert.Equal(Bytes.Hex("01 a1 61"), output.WrittenSpan.ToArray());

        writer.Write(2L);
        writer.Flush();
        writer.Flush();
        Assert.Equal(Bytes.Hex("01 a1 61 02"), output.WrittenSpan.ToArray());
    }

    [Fact]
    public void WritingASmallMapIntoAReusedBufferAllocatesNothing()
    {
        var output = new ArrayBufferWriter<byte>(512);
        byte[] payload = Bytes.Pattern(32);
        long allocated = Allocations.Measure(() =>
        {
            for (int i = 0; i < 1_000; i++)
            {
                output.ResetWrittenCount();
                var writer = new MsgPackWriter(output);
                writer.WriteMapHeader(9);
                writer.Write("type");
                writer.Write("method");
                writer.Write("to");
                writer.Write("workspace-1/service-échange");
                writer.Write("session");
                writer.Write(123_456_789L);
                writer.Write("timeout");
                writer.Write(30.0);
                writer.Write("ratio");
                writer.Write(0.5f);
                writer.Write("ok");
                writer.Write(true);
                writer.Write("none");
                writer.WriteNil();
                writer.Write("data");
                writer.WriteBinary(payload);
                writer.Write("negative");
                writer.Write(-40_000L);
                writer.Flush();
            }
        });

        Assert.Equal(0, allocated);
        MsgPackMap map = MsgPackValue.Parse(output.WrittenSpan.ToArray()).AsMap();
        Assert.Equal(9, map.Count);
        Assert.Equal("workspace-1/service-échange", map["to"].AsString());
        Assert.Equal(-40_000, map["negative"].AsInt64());
    }

    [Fact]
    public void WritingAPrebuiltValueTreeIntoAReusedBufferAllocatesNothing()
    {
        MsgPackValue message = SampleDocuments.Message();
        var output = new ArrayBufferWriter<byte>(4096);
        long allocated = Allocations.Measure(() =>
        {
            for (int i = 0; i < 200; i++)
            {
                output.ResetWrittenCount();
                var writer = new MsgPackWriter(output);
                message.WriteTo(ref writer);
                writer.Flush();
            }
        });

        Assert.Equal(0, allocated);
        Assert.Equal(message.ToBytes(), output.WrittenSpan.ToArray());
    }

    // Text of at least minUtf8Bytes UTF-8 bytes mixing 1-, 2-, 3- and 4-byte characters.
    private static string MultiByteText(int minUtf8Bytes)
    {
        var text = new StringBuilder();
        string[] pieces = ["a", "é", "€", "😀"];
        int[] sizes = [1, 2, 3, 4];
        int utf8Bytes = 0;
        for (int i = 0; utf8Bytes < minUtf8Bytes; i++)
        {
            text.Append(pieces[i % pieces.Length]);
            utf8Bytes += sizes[i % sizes.Length];
        }

        return text.ToString();
    }
}
