using System.Buffers;
using System.Text;
using Hypha.Protocol.Messages;
using Hypha.Protocol.MsgPack;
using Hypha.Protocol.Schemas;
using Hypha.Protocol.Tests.Schemas;

namespace Hypha.Protocol.Tests.Messages;

/// <summary>
/// A frame read as the answer to a call: what it takes it reads as the message model does, and everything else it
/// leaves to the general path.
/// </summary>
public sealed class AnswerFrameTests
{
    private static readonly MsgPackReaderOptions Options = MsgPackReaderOptions.Default;

    private static RpcMethodV4 Resolve(string session = "k3Jx9q", string name = "resolve") => new()
    {
        Type = "method",
        From = "ws-1/provider",
        To = "ws-1/caller",
        Method = $"{session}.{name}",
        Parent = session,
        Ws = "ws-1",
        User = RawMsgPack.From(new MsgPackMap { { "id", "anonymous" }, { "roles", new MsgPackValue[] { "a", "b" } } }),
        Args = RawMsgPack.From(new MsgPackValue[] { 3 }),
    };

    private static string Utf8Of(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes);

    [Theory]
    [InlineData("resolve", AnswerKind.Resolve)]
    [InlineData("reject", AnswerKind.Reject)]
    [InlineData("heartbeat", AnswerKind.Heartbeat)]
    public void An_answer_is_read_as_its_session_sender_and_arguments(string name, AnswerKind kind)
    {
        RpcMethodV4 message = Resolve(name: name);
        byte[] frame = RpcMessages.ToFrame(message);

        Assert.True(AnswerFrame.TryRead(frame, Options, out AnswerFrame answer));

        Assert.Equal(kind, answer.Kind);
        Assert.Equal("k3Jx9q", Utf8Of(answer.SessionOf(frame)));
        Assert.Equal("ws-1/provider", Utf8Of(answer.FromOf(frame)));
        Assert.Equal(message.Args!.Value.Bytes.ToArray(), answer.ArgsOf(frame)!.Value.Bytes.ToArray());
    }

    // The npm hypha-rpc client's own answers (Fixtures/hypha-frames) are of the shape this reader takes.
    [Theory]
    [InlineData("resolve-service-map", AnswerKind.Resolve, "mgr1")]
    [InlineData("resolve-generator", AnswerKind.Resolve, "mgr2")]
    [InlineData("reject-error", AnswerKind.Reject, "mgr4")]
    [InlineData("heartbeat", AnswerKind.Heartbeat, "mgr5")]
    public void The_npm_clients_answers_are_read(string name, AnswerKind kind, string session)
    {
        byte[] frame = GoldenFrames.Bytes(name);

        Assert.True(AnswerFrame.TryRead(frame, Options, out AnswerFrame answer));

        Assert.Equal(kind, answer.Kind);
        Assert.Equal(session, Utf8Of(answer.SessionOf(frame)));
        Assert.Equal("ws-golden/golden-client", Utf8Of(answer.FromOf(frame)));
        Assert.Equal(RpcMessages.TryRead(frame, Options)!.Args!.Value.Bytes.ToArray(), answer.ArgsOf(frame)!.Value.Bytes.ToArray());
    }

    [Fact]
    public void The_npm_clients_calls_are_not_answers()
    {
        foreach (string name in GoldenFrames.Names.Where(n => !n.StartsWith("resolve", StringComparison.Ordinal) && !n.StartsWith("reject", StringComparison.Ordinal)
            && n != "heartbeat"))
        {
            Assert.False(AnswerFrame.TryRead(GoldenFrames.Bytes(name), Options, out _), name);
        }
    }

    [Theory]
    [InlineData("s1.resolve", AnswerKind.Resolve, 2)]
    [InlineData("séance.reject", AnswerKind.Reject, 6)]
    [InlineData("s1.heartbeat", AnswerKind.Heartbeat, 2)]
    [InlineData("s1.cb", null, 0)]
    [InlineData("s1.resolved", null, 0)]
    [InlineData(".resolve", null, 0)]
    [InlineData("resolve", null, 0)]
    [InlineData("a.b.resolve", null, 0)]
    public void A_method_path_is_an_answers_the_same_as_text_and_as_bytes(string method, AnswerKind? kind, int sessionChars)
    {
        bool asText = AnswerFrame.TryParseMethod(method.AsSpan(), out AnswerKind textKind, out int textLength);
        bool asBytes = AnswerFrame.TryParseMethod(Encoding.UTF8.GetBytes(method), out AnswerKind byteKind, out int byteLength);

        Assert.Equal(kind is not null, asText);
        Assert.Equal(kind is not null, asBytes);
        if (kind is { } expected)
        {
            Assert.Equal(expected, textKind);
            Assert.Equal(expected, byteKind);
            Assert.Equal(sessionChars, textLength);
            Assert.Equal(method[..sessionChars], Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(method), 0, byteLength));
        }
    }

    [Fact]
    public void An_answer_without_arguments_has_none()
    {
        RpcMethodV4 message = Resolve(name: "heartbeat");
        message.Args = null;
        byte[] frame = RpcMessages.ToFrame(message);

        Assert.True(AnswerFrame.TryRead(frame, Options, out AnswerFrame answer));

        Assert.Null(answer.ArgsOf(frame));
    }

    [Fact]
    public void The_session_is_the_method_before_its_first_dot_and_may_be_any_text()
    {
        RpcMethodV4 message = Resolve(session: "séance-ü");
        message.Method = "séance-ü.resolve";
        byte[] frame = RpcMessages.ToFrame(message);

        Assert.True(AnswerFrame.TryRead(frame, Options, out AnswerFrame answer));

        Assert.Equal("séance-ü", Utf8Of(answer.SessionOf(frame)));
    }

    [Fact]
    public void Nil_optional_strings_and_with_kwargs_false_are_read_as_absent()
    {
        byte[] frame = Frame(
            main => main.Add("type", "method").Add("from", "ws/p").Add("method", "s1.resolve")
                .Add("to", MsgPackValue.Nil).Add("parent", MsgPackValue.Nil).Add("ws", MsgPackValue.Nil),
            extra => extra.Add("args", new MsgPackValue[] { 7 }).Add("with_kwargs", false));

        Assert.True(AnswerFrame.TryRead(frame, Options, out AnswerFrame answer));
        Assert.Equal(AnswerKind.Resolve, answer.Kind);
    }

    public static TheoryData<string, RpcMethodV4> NotAnswers()
    {
        var data = new TheoryData<string, RpcMethodV4>();
        void Add(string why, Action<RpcMethodV4> change)
        {
            RpcMethodV4 message = Resolve();
            change(message);
            data.Add(why, message);
        }

        Add("an event", m => m.Type = "log");
        Add("a call", m => m.Method = "services.svc.add");
        Add("a callback of a session", m => m.Method = "k3Jx9q.cb1");
        Add("a name that only starts like an answer", m => m.Method = "k3Jx9q.resolved");
        Add("no session before the dot", m => m.Method = ".resolve");
        Add("no dot", m => m.Method = "resolve");
        Add("no sender", m => m.From = null);
        Add("no method", m => m.Method = null);
        Add("a session of its own (a call expecting a result)", m => m.Session = "other");
        Add("a promise", m => m.Promise = RpcMessages.CompactPromiseMarker);
        Add("a heartbeat interval", m => m.T = RawMsgPack.From(5));
        Add("keyword arguments", m => m.WithKwargs = true);
        Add("records in binary form", m => m.Records = "fingerprint");
        Add("event data", m => m.Data = RawMsgPack.From(1));
        return data;
    }

    [Theory]
    [MemberData(nameof(NotAnswers))]
    public void Anything_but_a_plain_answer_is_left_to_the_general_path(string why, RpcMethodV4 message)
    {
        byte[] frame = RpcMessages.ToFrame(message);

        Assert.False(AnswerFrame.TryRead(frame, Options, out _), why);
        Assert.NotNull(RpcMessages.TryRead(frame, Options));
    }

    public static TheoryData<string, byte[]> OddShapes() => new()
    {
        { "a key repeated", Frame(main => Answer(main).Add("from", "ws/q")) },
        { "a key no message has", Frame(main => Answer(main).Add("colour", "red")) },
        { "a key no extra map has", Frame(Answer, extra => extra.Add("colour", "red")) },
        { "args repeated", Frame(Answer, extra => extra.Add("args", MsgPackValue.Nil).Add("args", MsgPackValue.Nil)) },
        { "the type not a string", Frame(main => main.Add("type", 1).Add("from", "ws/p").Add("method", "s.resolve")) },
        { "the sender not a string", Frame(main => main.Add("type", "method").Add("from", 1).Add("method", "s.resolve")) },
        { "to not a string", Frame(main => Answer(main).Add("to", true)) },
        { "with_kwargs not a bool", Frame(Answer, extra => extra.Add("with_kwargs", "no")) },
        { "an extra that is not a map", Concat(Frame(Answer), [0x91, 0x01]) },
        { "bytes after the extra map", Concat(Frame(Answer, extra => extra.Add("args", MsgPackValue.Nil)), [0xC0]) },
        { "a key that is not a string", Concat([0x81, 0x01], [0xC0]) },
        { "not a map", [0x92, 0x01, 0x02] },
        { "invalid UTF-8 in to", Frame(main => Answer(main).AddEncoded("to", [0xA2, 0xC3, 0x28])) },
        { "invalid UTF-8 in the sender", Frame(main => main.Add("type", "method").AddEncoded("from", [0xA2, 0xFF, 0xFE]).Add("method", "s.resolve")) },
    };

    [Theory]
    [MemberData(nameof(OddShapes))]
    public void A_frame_of_another_shape_is_not_read(string why, byte[] frame)
    {
        Assert.False(AnswerFrame.TryRead(frame, Options, out _), why);
    }

    // A call or an event is for the general path, which reads it next: this reader stops at its type or method,
    // before its arguments (here nested past the depth limit, which reading them would find).
    [Theory]
    [InlineData("method", "services.svc.add")]
    [InlineData("log", "s1.resolve")]
    public void A_call_or_an_event_is_left_before_its_arguments(string type, string method)
    {
        byte[] deep = [.. Enumerable.Repeat((byte)0x91, 100), 0x01];
        byte[] frame = Frame(main => main.Add("type", type).Add("method", method).Add("from", "ws/p"), extra => extra.AddEncoded("args", deep));

        Assert.False(AnswerFrame.TryRead(frame, Options, out _));
    }

    [Fact]
    public void A_truncated_frame_is_an_error_as_on_the_general_path()
    {
        byte[] frame = RpcMessages.ToFrame(Resolve());

        Assert.Throws<MsgPackException>(() => AnswerFrame.TryRead(frame.AsMemory(0, frame.Length - 1), Options, out _));
        Assert.Throws<MsgPackException>(() => RpcMessages.TryRead(frame.AsMemory(0, frame.Length - 1), Options));
    }

    [Fact]
    public void Arguments_nested_past_the_depth_limit_are_an_error()
    {
        RpcMethodV4 message = Resolve();
        MsgPackValue deep = 1;
        for (int i = 0; i < 80; i++)
        {
            deep = new MsgPackValue[] { deep };
        }

        message.Args = RawMsgPack.From(deep);
        byte[] frame = RpcMessages.ToFrame(message);

        Assert.Throws<MsgPackException>(() => AnswerFrame.TryRead(frame, Options, out _));
        Assert.Throws<MsgPackException>(() => RpcMessages.TryRead(frame, Options));
    }

    // Whatever this reader takes, the general path reads as the same answer.
    [Fact]
    public void What_it_reads_is_what_the_message_model_reads()
    {
        int taken = 0;
        foreach (RpcMethodV4 message in RpcMethodSamples.NearAnswers(2000, seed: 11))
        {
            byte[] frame = RpcMessages.ToFrame(message);

            if (!AnswerFrame.TryRead(frame, Options, out AnswerFrame answer))
            {
                continue;
            }

            taken++;
            RpcMethodV4 read = RpcMessages.TryRead(frame, Options)!;
            Assert.Equal("method", read.Type);
            Assert.Equal(read.From, Utf8Of(answer.FromOf(frame)));
            Assert.Equal(read.Method, $"{Utf8Of(answer.SessionOf(frame))}.{answer.Kind.ToString().ToLowerInvariant()}");
            Assert.Equal(read.Args?.Bytes.ToArray(), answer.ArgsOf(frame)?.Bytes.ToArray());
            Assert.NotEqual(true, read.WithKwargs);
            Assert.Null(read.Session);
            Assert.Null(read.Promise);
        }

        Assert.InRange(taken, 50, 2000);
    }

    private static MapBuilder Answer(MapBuilder main) =>
        main.Add("type", "method").Add("from", "ws/p").Add("method", "s1.resolve");

    private static byte[] Frame(Func<MapBuilder, MapBuilder> main, Func<MapBuilder, MapBuilder>? extra = null)
    {
        var output = new ArrayBufferWriter<byte>();
        main(new MapBuilder()).WriteTo(output);
        extra?.Invoke(new MapBuilder()).WriteTo(output);
        return output.WrittenSpan.ToArray();
    }

    private static byte[] Concat(byte[] first, byte[] second) => [.. first, .. second];

    /// <summary>A map written entry by entry, keys repeated or values of any type (or any bytes) as a test needs.</summary>
    private sealed class MapBuilder
    {
        private readonly List<(string Key, byte[] Value)> _entries = [];

        public MapBuilder Add(string key, MsgPackValue value) => AddEncoded(key, value.ToBytes());

        public MapBuilder AddEncoded(string key, byte[] value)
        {
            _entries.Add((key, value));
            return this;
        }

        public void WriteTo(IBufferWriter<byte> output)
        {
            var writer = new MsgPackWriter(output);
            writer.WriteMapHeader(_entries.Count);
            foreach ((string key, byte[] value) in _entries)
            {
                writer.Write(key);
                writer.WriteRaw(value);
            }

            writer.Flush();
        }
    }
}
