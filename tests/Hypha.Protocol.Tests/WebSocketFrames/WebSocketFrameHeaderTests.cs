using System.Buffers;
using Hypha.Protocol.WebSocketFrames;

namespace Hypha.Protocol.Tests.WebSocketFrames;

public sealed class WebSocketFrameHeaderTests
{
    public static TheoryData<long, bool> Lengths => new()
    {
        { 0, false }, { 1, true }, { 125, false }, { 125, true }, { 126, false }, { 126, true }, { 65_535, true },
        { 65_536, false }, { 65_536, true }, { int.MaxValue, true }, { long.MaxValue, false },
    };

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Headers_round_trip_with_the_shortest_length_encoding(long length, bool masked)
    {
        var header = new WebSocketFrameHeader(true, WebSocketOpcode.Binary, length, masked, masked ? 0x12345678u : 0);
        byte[] bytes = new byte[WebSocketFrameHeader.MaxSize];
        int size = header.Write(bytes);

        Assert.Equal(header.Size, size);
        Assert.Equal((length < 126 ? 2 : length <= 65_535 ? 4 : 10) + (masked ? 4 : 0), size);
        Assert.True(WebSocketFrameHeader.TryRead(bytes.AsSpan(0, size), out WebSocketFrameHeader read));
        Assert.Equal(header, read);
        for (int prefix = 0; prefix < size; prefix++)
        {
            Assert.False(WebSocketFrameHeader.TryRead(bytes.AsSpan(0, prefix), out _));
        }
    }

    [Fact]
    public void The_examples_of_RFC_6455_read_as_the_RFC_says()
    {
        // §5.7: a single-frame unmasked "Hello", a masked "Hello", and an unmasked ping "Hello".
        Assert.True(WebSocketFrameHeader.TryRead([0x81, 0x05], out WebSocketFrameHeader hello));
        Assert.Equal(new WebSocketFrameHeader(true, WebSocketOpcode.Text, 5, false, 0), hello);

        byte[] masked = [0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58];
        Assert.True(WebSocketFrameHeader.TryRead(masked, out WebSocketFrameHeader maskedHello));
        byte[] payload = new byte[5];
        WebSocketMask.Apply(masked.AsSpan(6), payload, maskedHello.MaskKey, 0);
        Assert.Equal("Hello"u8.ToArray(), payload);

        Assert.True(WebSocketFrameHeader.TryRead([0x89, 0x05], out WebSocketFrameHeader ping));
        Assert.True(ping.IsControl);
        Assert.Equal(WebSocketOpcode.Ping, ping.Opcode);

        // A first fragment "Hel" and its continuation "lo".
        Assert.True(WebSocketFrameHeader.TryRead([0x01, 0x03], out WebSocketFrameHeader first));
        Assert.False(first.Fin);
        Assert.True(WebSocketFrameHeader.TryRead([0x80, 0x02], out WebSocketFrameHeader last));
        Assert.Equal(WebSocketOpcode.Continuation, last.Opcode);
        Assert.True(last.Fin);
    }

    [Fact]
    public void What_the_frame_writer_writes_reads_back_masked_and_unmasked()
    {
        byte[] payload = Enumerable.Range(0, 70_000).Select(i => (byte)(i * 7)).ToArray();
        foreach (uint? key in new uint?[] { null, 0xa1b2c3d4 })
        {
            var output = new ArrayBufferWriter<byte>(16); // grows in pieces, as a pipe's writer does
            WebSocketFrameHeader.WriteFrame(output, WebSocketOpcode.Binary, payload, fin: false, maskKey: key);
            byte[] frame = output.WrittenSpan.ToArray();

            Assert.True(WebSocketFrameHeader.TryRead(frame, out WebSocketFrameHeader header));
            Assert.Equal(new WebSocketFrameHeader(false, WebSocketOpcode.Binary, payload.Length, key.HasValue, key ?? 0), header);
            byte[] body = frame[header.Size..];
            if (key is { } k)
            {
                WebSocketMask.Apply(body, body, k, 0);
            }

            Assert.Equal(payload, body);
        }
    }

    public static TheoryData<byte[], string> Violations => new()
    {
        { [0xC2, 0x00], "reserved bits" },                                       // RSV1 (permessage-deflate, not agreed)
        { [0xA2, 0x00], "reserved bits" },                                       // RSV2
        { [0x92, 0x00], "reserved bits" },                                       // RSV3
        { [0x83, 0x00], "reserved opcode 0x3" },
        { [0x87, 0x00], "reserved opcode 0x7" },
        { [0x8B, 0x00], "reserved opcode 0xb" },
        { [0x8F, 0x00], "reserved opcode 0xf" },
        { [0x09, 0x00], "control frames are never fragmented" },                 // a ping without FIN
        { [0x08, 0x00], "control frames are never fragmented" },                 // a close without FIN
        { [0x89, 0x7E, 0x00, 0x7E], "control frames carry at most 125" },        // a ping of 126 bytes
        { [0x8A, 0x7E, 0x01, 0x00], "control frames carry at most 125" },        // a pong of 256 bytes
        { [0x82, 0x7E, 0x00, 0x7D], "shortest encoding" },                       // 125 in the 16-bit form
        { [0x82, 0x7F, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF], "shortest encoding" },     // 65535 in the 64-bit form
        { [0x82, 0x7F, 0x80, 0, 0, 0, 0, 0, 0, 0], "most significant bit" },     // a negative 64-bit length
    };

    [Theory]
    [MemberData(nameof(Violations))]
    public void Every_header_violation_is_a_protocol_error(byte[] bytes, string reason)
    {
        var ex = Assert.Throws<WebSocketProtocolException>(() => WebSocketFrameHeader.TryRead(bytes, out _));
        Assert.Equal(WebSocketCloseCodes.ProtocolError, ex.CloseCode);
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
    }
}
