using System.Buffers;
using Hypha.Protocol.Messages;
using Hypha.Protocol.MsgPack;
using Hypha.Protocol.Schemas;
using Hypha.Protocol.Tests.Schemas;

namespace Hypha.Protocol.Tests.Messages;

/// <summary>
/// The binary form of <c>rpc_method_v4</c> read as the answer to a call: what it takes it reads as the generated
/// decoder does, and everything else it leaves to the general path.
/// </summary>
public sealed class BinaryAnswerTests
{
    private static RpcMethodV4 Resolve(string name = "resolve") => new()
    {
        Type = "method",
        From = "ws-1/provider",
        To = "ws-1/caller",
        Method = $"k3Jx9q.{name}",
        Parent = "k3Jx9q",
        Ws = "ws-1",
        User = RawMsgPack.From(new MsgPackMap { { "id", "anonymous" } }),
        Args = RawMsgPack.From(new MsgPackValue[] { 3 }),
    };

    // The body of message in the binary form, its definitions stored in receiver as a multiplexer stores them.
    private static ReadOnlyMemory<byte> Body(RpcMethodV4 message, InternSendTable sender, InternReceiveTable receiver)
    {
        var output = new ArrayBufferWriter<byte>();
        SchemaMessage.Write(output, 0, message, sender);
        var reader = new SchemaReader(output.WrittenMemory, receiver);
        SchemaMessage.ReadHeader(ref reader);
        return output.WrittenMemory[reader.Consumed..];
    }

    private static string SessionOf(BinaryAnswer answer, ReadOnlyMemory<byte> body)
    {
        var chars = new char[256];
        Assert.True(answer.TryCopySession(body.Span, chars, out int length));
        return new string(chars, 0, length);
    }

    private static bool TryRead(RpcMethodV4 message, out BinaryAnswer answer) =>
        BinaryAnswer.TryRead(Body(message, new InternSendTable(), new InternReceiveTable()), new InternReceiveTable(), out answer);

    [Fact]
    public void It_knows_the_fields_of_the_built_in_version()
    {
        // The presence bits it reads are this version's: a new version of the schema needs this reader checked again.
        Assert.Equal(BinaryAnswer.Fingerprint, RpcMethodV4.Schema.Fingerprint);
    }

    [Theory]
    [InlineData("resolve", AnswerKind.Resolve)]
    [InlineData("reject", AnswerKind.Reject)]
    [InlineData("heartbeat", AnswerKind.Heartbeat)]
    public void An_answer_is_read_as_its_session_sender_and_arguments(string name, AnswerKind kind)
    {
        var receiver = new InternReceiveTable();
        ReadOnlyMemory<byte> body = Body(Resolve(name), new InternSendTable(), receiver);

        Assert.True(BinaryAnswer.TryRead(body, receiver, out BinaryAnswer answer));

        Assert.Equal(kind, answer.Kind);
        Assert.Equal("k3Jx9q", SessionOf(answer, body));
        Assert.Equal("ws-1/provider", answer.Sender);
        Assert.Equal(Resolve().Args!.Value.Bytes.ToArray(), answer.Arguments!.Value.Bytes.ToArray());
    }

    [Fact]
    public void A_method_is_read_whether_it_came_as_a_literal_or_interned()
    {
        // A value the sender saw before goes as a slot number; the first time, and for methods unique to each call, as
        // its bytes. The session reads the same from both.
        var sender = new InternSendTable();
        var receiver = new InternReceiveTable();
        for (int i = 0; i < 4; i++)
        {
            ReadOnlyMemory<byte> body = Body(Resolve(), sender, receiver);
            Assert.True(BinaryAnswer.TryRead(body, receiver, out BinaryAnswer answer));
            Assert.Equal("ws-1/provider", answer.Sender);
            Assert.Equal("k3Jx9q", SessionOf(answer, body));
        }

        var other = new RpcMethodV4 { Type = "method", From = "ws-1/provider", Method = "ünïcode.reject" };
        ReadOnlyMemory<byte> literal = Body(other, sender, receiver);
        Assert.True(BinaryAnswer.TryRead(literal, receiver, out BinaryAnswer rejected));
        Assert.Equal(AnswerKind.Reject, rejected.Kind);
        Assert.Equal("ünïcode", SessionOf(rejected, literal));
        Assert.False(rejected.TryCopySession(literal.Span, new char[3], out _));
    }

    public static TheoryData<string> NotPlainAnswers => new()
    {
        "event", "no from", "no method", "a call's method", "a session", "data", "promise", "t", "records", "keyword arguments",
    };

    [Theory]
    [MemberData(nameof(NotPlainAnswers))]
    public void What_is_not_a_plain_answer_is_left_to_the_general_path(string what)
    {
        RpcMethodV4 message = Resolve();
        switch (what)
        {
            case "event": message.Type = "client_connected"; break;
            case "no from": message.From = null; break;
            case "no method": message.Method = null; break;
            case "a call's method": message.Method = "services.s.add"; break;
            case "a session": message.Session = "s2"; break;
            case "data": message.Data = RawMsgPack.From(1); break;
            case "promise": message.Promise = RpcMessages.CompactPromiseMarker; break;
            case "t": message.T = RawMsgPack.From(15); break;
            case "records": message.Records = "abc"; break;
            case "keyword arguments": message.WithKwargs = true; break;
        }

        Assert.False(TryRead(message, out _));
    }

    [Fact]
    public void Keyword_arguments_said_false_are_still_an_answer()
    {
        RpcMethodV4 message = Resolve();
        message.WithKwargs = false;

        Assert.True(TryRead(message, out BinaryAnswer answer));
        Assert.Equal(AnswerKind.Resolve, answer.Kind);
    }

    [Fact]
    public void A_body_that_does_not_decode_or_goes_on_is_not_read()
    {
        var receiver = new InternReceiveTable();
        byte[] body = Body(Resolve(), new InternSendTable(), receiver).ToArray();

        Assert.False(BinaryAnswer.TryRead(body.AsMemory(0, body.Length - 1), receiver, out _));
        Assert.False(BinaryAnswer.TryRead((byte[])[.. body, 0], receiver, out _));
        Assert.False(BinaryAnswer.TryRead((byte[])[0xff, 0xff, 0xff], receiver, out _));
    }

    [Fact]
    public void A_parent_that_is_not_UTF8_is_not_read()
    {
        // The generated decoder refuses it; so must this reader, or a message the general path drops would be taken.
        var receiver = new InternReceiveTable();
        RpcMethodV4 message = Resolve();
        message.Parent = "PARENT";
        byte[] body = Body(message, new InternSendTable(), receiver).ToArray();
        int at = body.AsSpan().IndexOf("PARENT"u8);
        body[at] = 0xff;

        Assert.Throws<SchemaFormatException>(() => new SchemaReaderCall(body, receiver).ReadGenerated());
        Assert.False(BinaryAnswer.TryRead(body, receiver, out _));
    }

    // Whatever this reader takes, the generated decoder reads as the same answer.
    [Fact]
    public void What_it_reads_is_what_the_generated_decoder_reads()
    {
        var sender = new InternSendTable();
        var receiver = new InternReceiveTable();
        int taken = 0;
        foreach (RpcMethodV4 message in RpcMethodSamples.NearAnswers(3000, seed: 17))
        {
            ReadOnlyMemory<byte> body = Body(message, sender, receiver);
            if (!BinaryAnswer.TryRead(body, receiver, out BinaryAnswer answer))
            {
                continue;
            }

            taken++;
            RpcMethodV4 read = new SchemaReaderCall(body, receiver).ReadGenerated();
            Assert.Equal("method", read.Type);
            Assert.Equal(read.From, answer.Sender);
            Assert.Equal(read.Method, $"{SessionOf(answer, body)}.{answer.Kind.ToString().ToLowerInvariant()}");
            Assert.Equal(read.Args?.Bytes.ToArray(), answer.Arguments?.Bytes.ToArray());
            Assert.NotEqual(true, read.WithKwargs);
            Assert.Null(read.Session);
            Assert.Null(read.Data);
            Assert.Null(read.Promise);
            Assert.Null(read.T);
        }

        Assert.InRange(taken, 100, 3000);
    }

    // Hostile bodies: whatever the bytes, the reader declines or reads them, never throws, and what it reads the
    // generated decoder reads as the same answer.
    [Fact]
    public void Mutated_bodies_are_declined_or_read_as_the_decoder_reads_them()
    {
        var random = new Random(23);
        var sender = new InternSendTable();
        var receiver = new InternReceiveTable();
        byte[][] bodies = [.. Enumerable.Range(0, 8).Select(i =>
        {
            RpcMethodV4 message = Resolve(i % 2 == 0 ? "resolve" : "reject");
            message.To = i % 3 == 0 ? null : message.To;
            return Body(message, sender, receiver).ToArray();
        })];
        for (int i = 0; i < 20_000; i++)
        {
            byte[] body = (byte[])bodies[random.Next(bodies.Length)].Clone();
            for (int flips = random.Next(1, 4); flips > 0; flips--)
            {
                body[random.Next(body.Length)] = (byte)random.Next(256);
            }

            byte[] cut = body.AsSpan(0, random.Next(4) == 0 ? random.Next(body.Length) : body.Length).ToArray();
            if (!BinaryAnswer.TryRead(cut, receiver, out BinaryAnswer answer))
            {
                continue;
            }

            RpcMethodV4 read = new SchemaReaderCall(cut, receiver).ReadGenerated();
            Assert.Equal(read.From, answer.Sender);
            Assert.Equal(read.Method, $"{SessionOf(answer, cut)}.{answer.Kind.ToString().ToLowerInvariant()}");
            Assert.Equal(read.Args?.Bytes.ToArray(), answer.Arguments?.Bytes.ToArray());
        }
    }

    // The generated decoder over a body, as the general path runs it.
    private readonly struct SchemaReaderCall(ReadOnlyMemory<byte> body, InternReceiveTable interns)
    {
        public RpcMethodV4 ReadGenerated()
        {
            var reader = new SchemaReader(body, interns);
            return SchemaMessage.ReadBody<RpcMethodV4>(ref reader);
        }
    }
}
