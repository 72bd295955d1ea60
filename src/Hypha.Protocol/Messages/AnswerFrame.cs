using System.Buffers;
using System.Text.Unicode;
using Hypha.Protocol.MsgPack;

namespace Hypha.Protocol.Messages;

/// <summary>Which answer to a call a frame carries (hypha-protocol.md 5.2).</summary>
public enum AnswerKind
{
    /// <summary><c>&lt;session&gt;.resolve</c>: the result.</summary>
    Resolve,

    /// <summary><c>&lt;session&gt;.reject</c>: the error.</summary>
    Reject,

    /// <summary><c>&lt;session&gt;.heartbeat</c>: the callee still works on it.</summary>
    Heartbeat,
}

/// <summary>
/// A hypha frame read as the answer to one of the receiver's calls: a <c>method</c> message whose method is
/// <c>&lt;session&gt;.resolve</c>, <c>.reject</c> or <c>.heartbeat</c>. One pass over the frame finds the session,
/// the sender and the arguments as bytes, so that a caller takes its answers without a message object and without the
/// method and parent strings, unique to each call, that nobody keeps. A frame that is anything else, or an answer of a
/// shape the message model judges otherwise (a field repeated or of another type, a key an answer does not carry:
/// <c>session</c>, <c>data</c>, <c>promise</c>, <c>t</c>, <c>records</c>, keyword arguments), is not read: the general
/// path (<see cref="RpcMessages.TryRead"/>) decides what it is.
/// </summary>
public readonly struct AnswerFrame
{
    private static readonly Range None = new(0, 0);

    private readonly Range _session;
    private readonly Range _from;
    private readonly Range _args;

    private AnswerFrame(AnswerKind kind, Range session, Range from, Range args)
    {
        Kind = kind;
        _session = session;
        _from = from;
        _args = args;
    }

    /// <summary>The answer's kind.</summary>
    public AnswerKind Kind { get; }

    /// <summary>The UTF-8 bytes of the session answered: the method before its first dot.</summary>
    public ReadOnlySpan<byte> SessionOf(ReadOnlySpan<byte> frame) => frame[_session];

    /// <summary>The UTF-8 bytes of the sender's address.</summary>
    public ReadOnlySpan<byte> FromOf(ReadOnlySpan<byte> frame) => frame[_from];

    /// <summary>The <c>args</c> value (checked well-formed), a slice of <paramref name="frame"/>; null when the frame has none.</summary>
    public RawMsgPack? ArgsOf(ReadOnlyMemory<byte> frame) => _args.Equals(None) ? null : RawMsgPack.Trusted(frame[_args]);

    /// <summary>
    /// Reads <paramref name="frame"/> as an answer; false when it is not one this reader takes, which the general path
    /// then reads.
    /// </summary>
    /// <exception cref="MsgPackException">The frame is not well-formed msgpack, or breaks a reader limit.</exception>
    public static bool TryRead(ReadOnlyMemory<byte> frame, MsgPackReaderOptions options, out AnswerFrame answer)
    {
        answer = default;
        var reader = new MsgPackReader(frame, options);
        var fields = new Fields();
        if (reader.End || !TryReadMap(ref reader, ref fields, extra: false) || (!reader.End && !TryReadMap(ref reader, ref fields, extra: true)))
        {
            return false;
        }

        if (!reader.End || (fields.Seen & Seen.Type) == 0 || fields.From.Equals(None) || fields.Method.Equals(None))
        {
            return false;
        }

        answer = new AnswerFrame(fields.Kind, fields.Session, fields.From, fields.Args);
        return true;
    }

    // What the maps of a frame said so far.
    private struct Fields
    {
        public Seen Seen;
        public AnswerKind Kind;
        public Range From;
        public Range Method;
        public Range Session;
        public Range Args;
    }

    // One map of the frame: main, or extra after it. Each key once, each of a key an answer may carry; a frame whose
    // type or method says it is no answer (a call, an event) is left at once, so that the general path, which reads it
    // next, is the only one to go through its arguments.
    private static bool TryReadMap(ref MsgPackReader reader, ref Fields fields, bool extra)
    {
        if (reader.NextType != MsgPackType.Map)
        {
            return false;
        }

        int count = reader.ReadMapHeader();
        for (int i = 0; i < count; i++)
        {
            if (reader.NextType != MsgPackType.String)
            {
                return false;
            }

            ReadOnlySpan<byte> key = reader.ReadStringSequence().FirstSpan;
            if (!(extra ? TryReadExtraEntry(ref reader, key, ref fields) : TryReadMainEntry(ref reader, key, ref fields)))
            {
                return false;
            }
        }

        return true;
    }

    private static bool TryReadMainEntry(ref MsgPackReader reader, ReadOnlySpan<byte> key, ref Fields fields) => key switch
    {
        _ when key.SequenceEqual("type"u8) => Once(ref fields.Seen, Seen.Type) && TryReadMethodType(ref reader),
        _ when key.SequenceEqual("from"u8) => Once(ref fields.Seen, Seen.From) && TryFind(ref reader, out fields.From),
        _ when key.SequenceEqual("method"u8) => Once(ref fields.Seen, Seen.Method) && TryFind(ref reader, out fields.Method)
            && TryReadAnswerMethod(reader.Sequence, ref fields),
        _ when key.SequenceEqual("to"u8) => Once(ref fields.Seen, Seen.To) && TrySkipString(ref reader),
        _ when key.SequenceEqual("parent"u8) => Once(ref fields.Seen, Seen.Parent) && TrySkipString(ref reader),
        _ when key.SequenceEqual("ws"u8) => Once(ref fields.Seen, Seen.Workspace) && TrySkipString(ref reader),
        _ when key.SequenceEqual("user"u8) => Once(ref fields.Seen, Seen.User) && Skip(ref reader),
        _ => false,
    };

    // The extra map of an answer: its args, and with_kwargs only when it says there are none.
    private static bool TryReadExtraEntry(ref MsgPackReader reader, ReadOnlySpan<byte> key, ref Fields fields) => key switch
    {
        _ when key.SequenceEqual("args"u8) => Once(ref fields.Seen, Seen.Args) && Mark(ref reader, out fields.Args),
        _ when key.SequenceEqual("with_kwargs"u8) => Once(ref fields.Seen, Seen.WithKwargs) && TryReadNoKwargs(ref reader),
        _ => false,
    };

    // The keys an answer may carry in its two maps, each once.
    [Flags]
    private enum Seen
    {
        None = 0,
        Type = 1,
        From = 2,
        Method = 4,
        To = 8,
        Parent = 16,
        Workspace = 32,
        User = 64,
        Args = 128,
        WithKwargs = 256,
    }

    private static bool Once(ref Seen seen, Seen key)
    {
        if ((seen & key) != 0)
        {
            return false;
        }

        seen |= key;
        return true;
    }

    /// <summary>
    /// Reads a method path as an answer's: <c>&lt;session&gt;.resolve</c>, <c>.reject</c> or <c>.heartbeat</c>, the
    /// session being what comes before the first dot, never empty. False for any other path.
    /// </summary>
    public static bool TryParseMethod(ReadOnlySpan<char> method, out AnswerKind kind, out int sessionLength)
    {
        sessionLength = method.IndexOf('.');
        return Found(sessionLength > 0 ? KindOf(method[(sessionLength + 1)..]) : null, out kind);
    }

    /// <summary>As <see cref="TryParseMethod(ReadOnlySpan{char}, out AnswerKind, out int)"/>, on the UTF-8 bytes of the path.</summary>
    public static bool TryParseMethod(ReadOnlySpan<byte> method, out AnswerKind kind, out int sessionLength)
    {
        sessionLength = method.IndexOf((byte)'.');
        return Found(sessionLength > 0 ? KindOf(method[(sessionLength + 1)..]) : null, out kind);
    }

    private static bool Found(AnswerKind? found, out AnswerKind kind)
    {
        kind = found.GetValueOrDefault();
        return found is not null;
    }

    private static AnswerKind? KindOf(ReadOnlySpan<char> name) => name switch
    {
        HyphaKeys.Resolve => AnswerKind.Resolve,
        HyphaKeys.Reject => AnswerKind.Reject,
        HyphaKeys.Heartbeat => AnswerKind.Heartbeat,
        _ => null,
    };

    private static AnswerKind? KindOf(ReadOnlySpan<byte> name) => name switch
    {
        _ when name.SequenceEqual("resolve"u8) => AnswerKind.Resolve,
        _ when name.SequenceEqual("reject"u8) => AnswerKind.Reject,
        _ when name.SequenceEqual("heartbeat"u8) => AnswerKind.Heartbeat,
        _ => null,
    };

    // Only a method message can be an answer.
    private static bool TryReadMethodType(ref MsgPackReader reader) =>
        reader.NextType == MsgPackType.String && reader.ReadStringSequence().FirstSpan.SequenceEqual("method"u8);

    private static bool TryReadAnswerMethod(ReadOnlySequence<byte> frame, ref Fields fields)
    {
        if (!TryParseMethod(frame.FirstSpan[fields.Method], out fields.Kind, out int sessionLength))
        {
            return false;
        }

        fields.Session = fields.Method.Start..(fields.Method.Start.Value + sessionLength);
        return true;
    }

    // A string found as its bytes; nil, another type or invalid UTF-8 is for the general path.
    private static bool TryFind(ref MsgPackReader reader, out Range body)
    {
        body = None;
        if (reader.NextType != MsgPackType.String)
        {
            return false;
        }

        ReadOnlySequence<byte> value = reader.ReadStringSequence();
        if (!Utf8.IsValid(value.FirstSpan))
        {
            return false;
        }

        int end = (int)reader.Consumed;
        body = (end - (int)value.Length)..end;
        return true;
    }

    // A string field an answer does not need: a string or nil, as the message model reads it.
    private static bool TrySkipString(ref MsgPackReader reader)
    {
        if (reader.TryReadNil())
        {
            return true;
        }

        return reader.NextType == MsgPackType.String && Utf8.IsValid(reader.ReadStringSequence().FirstSpan);
    }

    private static bool TryReadNoKwargs(ref MsgPackReader reader) =>
        reader.TryReadNil() || (reader.NextType == MsgPackType.Boolean && !reader.ReadBoolean());

    private static bool Mark(ref MsgPackReader reader, out Range value)
    {
        int start = (int)reader.Consumed;
        reader.Skip();
        value = start..(int)reader.Consumed;
        return true;
    }

    private static bool Skip(ref MsgPackReader reader)
    {
        reader.Skip();
        return true;
    }
}
