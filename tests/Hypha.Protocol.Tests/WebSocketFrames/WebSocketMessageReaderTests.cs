using System.Buffers;
using System.Text;
using Hypha.Protocol.Tests.MsgPack;
using Hypha.Protocol.WebSocketFrames;
using static Hypha.Protocol.Tests.WebSocketFrames.WebSocketTestFrames;

namespace Hypha.Protocol.Tests.WebSocketFrames;

public sealed class WebSocketMessageReaderTests
{
    [Fact]
    public void Whole_messages_of_every_size_come_out_unmasked()
    {
        foreach (int size in new[] { 0, 1, 125, 126, 4096, 65_535, 65_536, 300_000 })
        {
            byte[] payload = Enumerable.Range(0, size).Select(i => (byte)(i * 31)).ToArray();
            List<(WebSocketOpcode Type, byte[] Payload)> read = ReadAll(Client(WebSocketOpcode.Binary, payload), 1 << 20);
            Assert.Equal(WebSocketOpcode.Binary, Assert.Single(read).Type);
            Assert.Equal(payload, read[0].Payload);
        }
    }

    [Fact]
    public void Fragments_are_joined_and_control_frames_between_them_pass_through()
    {
        byte[] stream = Concat(
            Client(WebSocketOpcode.Text, "Hel", fin: false),
            Client(WebSocketOpcode.Ping, "p1"),
            Client(WebSocketOpcode.Continuation, "lo, ", fin: false),
            Client(WebSocketOpcode.Pong, "p2"),
            Client(WebSocketOpcode.Continuation, [], fin: false),
            Client(WebSocketOpcode.Continuation, "wörld"),
            Client(WebSocketOpcode.Binary, [1, 2, 3]),
            Close(1000, "bye"));

        foreach ((string name, ReadOnlySequence<byte> sequence) in TestSequences.AllSplits(stream))
        {
            List<(WebSocketOpcode Type, byte[] Payload)> read = ReadAll(sequence, 1000);
            Assert.True(read.Count == 5, name);
            Assert.Equal((WebSocketOpcode.Ping, "p1"), (read[0].Type, Encoding.UTF8.GetString(read[0].Payload)));
            Assert.Equal((WebSocketOpcode.Pong, "p2"), (read[1].Type, Encoding.UTF8.GetString(read[1].Payload)));
            Assert.Equal((WebSocketOpcode.Text, "Hello, wörld"), (read[2].Type, Encoding.UTF8.GetString(read[2].Payload)));
            Assert.Equal(WebSocketOpcode.Binary, read[3].Type);
            Assert.Equal([1, 2, 3], read[3].Payload);
            Assert.Equal(WebSocketOpcode.Close, read[4].Type);
        }
    }

    [Fact]
    public void Bytes_fed_one_at_a_time_are_taken_in_as_they_come()
    {
        byte[] payload = Enumerable.Range(0, 5000).Select(i => (byte)i).ToArray();
        byte[] stream = Concat(Client(WebSocketOpcode.Binary, payload, fin: false), Client(WebSocketOpcode.Continuation, payload));
        using var reader = new WebSocketMessageReader(20_000, expectMasked: true);
        byte[] pending = [];
        var messages = new List<byte[]>();
        foreach (byte next in stream)
        {
            var sequence = new ReadOnlySequence<byte>([.. pending, next]);
            while (reader.TryRead(ref sequence, out WebSocketMessage message))
            {
                messages.Add(message.Payload.ToArray());
            }

            // What the reader leaves is never more than a header: payload bytes are unmasked as they come.
            pending = sequence.ToArray();
            Assert.True(pending.Length < WebSocketFrameHeader.MaxSize);
        }

        Assert.Empty(pending);
        Assert.Equal([.. payload, .. payload], Assert.Single(messages));
    }

    [Fact]
    public void A_close_carries_its_code_and_reason()
    {
        WebSocketMessage close = ReadOne(Close(4001, "done here"));
        Assert.Equal((4001, "done here"), (close.CloseCode, close.CloseReason));
        WebSocketMessage empty = ReadOne(Client(WebSocketOpcode.Close, []));
        Assert.Equal((WebSocketCloseCodes.NoStatus, ""), (empty.CloseCode, empty.CloseReason));
    }

    [Fact]
    public void A_server_frame_is_read_by_a_client_reader()
    {
        using var reader = new WebSocketMessageReader(100, expectMasked: false);
        var sequence = new ReadOnlySequence<byte>(Server(WebSocketOpcode.Text, "hi"u8));
        Assert.True(reader.TryRead(ref sequence, out WebSocketMessage message));
        Assert.Equal("hi", Encoding.UTF8.GetString(message.Payload.Span));
    }

    [Fact]
    public void A_character_split_across_fragments_is_valid_text()
    {
        byte[] text = Encoding.UTF8.GetBytes("€");
        WebSocketMessage message = ReadOne(Concat(Client(WebSocketOpcode.Text, text[..1], fin: false), Client(WebSocketOpcode.Continuation, text[1..])));
        Assert.Equal("€", Encoding.UTF8.GetString(message.Payload.Span));
    }

    public static TheoryData<string, byte[], int> Malformed => new()
    {
        { "an unmasked client frame", Server(WebSocketOpcode.Binary, [1]), WebSocketCloseCodes.ProtocolError },
        { "a continuation with nothing to continue", Client(WebSocketOpcode.Continuation, [1]), WebSocketCloseCodes.ProtocolError },
        { "a new message inside a fragmented one", Concat(Client(WebSocketOpcode.Binary, [1], fin: false), Client(WebSocketOpcode.Text, "x")), WebSocketCloseCodes.ProtocolError },
        { "a reserved bit", [0xC2, 0x80, 0, 0, 0, 0], WebSocketCloseCodes.ProtocolError },
        { "a reserved opcode", [0x83, 0x80, 0, 0, 0, 0], WebSocketCloseCodes.ProtocolError },
        { "a fragmented ping", Client(WebSocketOpcode.Ping, [1], fin: false), WebSocketCloseCodes.ProtocolError },
        { "a ping of 126 bytes", [0x89, 0xFE, 0x00, 0x7E, 0, 0, 0, 0], WebSocketCloseCodes.ProtocolError },
        { "a close of one byte", Client(WebSocketOpcode.Close, [3]), WebSocketCloseCodes.ProtocolError },
        { "a close with code 1005", Close(1005, ""), WebSocketCloseCodes.ProtocolError },
        { "a close reason that is not UTF-8", Client(WebSocketOpcode.Close, [0x03, 0xE8, 0xFF]), WebSocketCloseCodes.InvalidPayload },
        { "a text that is not UTF-8", Client(WebSocketOpcode.Text, [0x61, 0xC3, 0x28]), WebSocketCloseCodes.InvalidPayload },
        { "a text cut in the middle of a character", Client(WebSocketOpcode.Text, [0xE2, 0x82]), WebSocketCloseCodes.InvalidPayload },
        { "a frame over the limit", Client(WebSocketOpcode.Binary, new byte[101]), WebSocketCloseCodes.MessageTooBig },
        { "fragments over the limit together", Concat(Client(WebSocketOpcode.Binary, new byte[60], fin: false), Client(WebSocketOpcode.Continuation, new byte[41])), WebSocketCloseCodes.MessageTooBig },
        { "a 64-bit length of 2^62", [0x82, 0xFF, 0x40, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4], WebSocketCloseCodes.MessageTooBig },
        { "a non-minimal length", [0x82, 0xFE, 0x00, 0x05, 0, 0, 0, 0, 1, 2, 3, 4, 5], WebSocketCloseCodes.ProtocolError },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Every_malformed_stream_fails_with_its_close_code(string name, byte[] stream, int code)
    {
        var ex = Assert.Throws<WebSocketProtocolException>(() => ReadAll(stream, 100));
        Assert.True(code == ex.CloseCode, $"{name}: {ex.CloseCode} {ex.Message}");
    }

    [Fact]
    public void An_oversized_frame_is_refused_from_its_header_alone()
    {
        byte[] header = Client(WebSocketOpcode.Binary, new byte[70_000])[..WebSocketFrameHeader.MaxSize];
        using var reader = new WebSocketMessageReader(65_536, expectMasked: true);
        var sequence = new ReadOnlySequence<byte>(header);
        var ex = Assert.Throws<WebSocketProtocolException>(() => reader.TryRead(ref sequence, out _));
        Assert.Equal(WebSocketCloseCodes.MessageTooBig, ex.CloseCode);
        Assert.StartsWith("Message too big", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_lowered_limit_applies_to_the_next_message()
    {
        using var reader = new WebSocketMessageReader(1000, expectMasked: true) { MaxMessageBytes = 10 };
        var sequence = new ReadOnlySequence<byte>(Client(WebSocketOpcode.Text, "0123456789"));
        Assert.True(reader.TryRead(ref sequence, out _));
        sequence = new ReadOnlySequence<byte>(Client(WebSocketOpcode.Text, "0123456789!"));
        Assert.Throws<WebSocketProtocolException>(() => reader.TryRead(ref sequence, out _));

        reader.MaxMessageBytes = int.MaxValue;
        Assert.Equal(1000, reader.MaxMessageBytes);
    }

    private static WebSocketMessage ReadOne(byte[] stream)
    {
        using var reader = new WebSocketMessageReader(1000, expectMasked: true);
        var sequence = new ReadOnlySequence<byte>(stream);
        Assert.True(reader.TryRead(ref sequence, out WebSocketMessage message));
        Assert.True(sequence.IsEmpty);
        return message with { Payload = message.Payload.ToArray() };
    }

    private static List<(WebSocketOpcode Type, byte[] Payload)> ReadAll(byte[] stream, int limit) => ReadAll(new ReadOnlySequence<byte>(stream), limit);

    private static List<(WebSocketOpcode Type, byte[] Payload)> ReadAll(ReadOnlySequence<byte> sequence, int limit)
    {
        using var reader = new WebSocketMessageReader(limit, expectMasked: true);
        var read = new List<(WebSocketOpcode, byte[])>();
        while (reader.TryRead(ref sequence, out WebSocketMessage message))
        {
            read.Add((message.Type, message.Payload.ToArray()));
        }

        Assert.True(sequence.IsEmpty);
        Assert.False(reader.IsMidMessage);
        return read;
    }
}
