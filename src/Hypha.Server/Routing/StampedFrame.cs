using System.Buffers;
using System.Text;
using System.Text.Unicode;
using Hypha.Protocol.Messages;
using Hypha.Protocol.MsgPack;

namespace Hypha.Server.Routing;

/// <summary>
/// A hypha frame read just far enough to forward it stamped (hypha-protocol.md 2.7): one pass over its <c>main</c> map
/// decodes <c>to</c> and <c>type</c>, finds <c>session</c>, <c>parent</c> and <c>method</c> without decoding them, and
/// marks the entries routing replaces (<c>from</c>, <c>ws</c>, <c>user</c>, and <c>to</c> when it changes); the rest
/// of the frame is checked to be well-formed msgpack and then forwarded as its bytes. What the router does for a call
/// or an answer between two WebSocket clients, without a message object or a string per field.
/// </summary>
internal readonly struct StampedFrame
{
    private static readonly Range None = new(0, 0);

    // Ranges of the frame's bytes: a whole entry of main (key and value), or the UTF-8 body of a string.
    private readonly Range _fromEntry;
    private readonly Range _workspaceEntry;
    private readonly Range _userEntry;
    private readonly Range _toEntry;
    private readonly Range _session;
    private readonly Range _method;
    private readonly int _mainCount;
    private readonly int _entriesStart;
    private readonly int _mainEnd;

    private StampedFrame(string to, string type, Range fromEntry, Range workspaceEntry, Range userEntry, Range toEntry,
        Range session, Range method, bool hasParent, int mainCount, int entriesStart, int mainEnd)
    {
        To = to;
        Type = type;
        _fromEntry = fromEntry;
        _workspaceEntry = workspaceEntry;
        _userEntry = userEntry;
        _toEntry = toEntry;
        _session = session;
        _method = method;
        HasParent = hasParent;
        _mainCount = mainCount;
        _entriesStart = entriesStart;
        _mainEnd = mainEnd;
    }

    /// <summary>The <c>to</c> the sender wrote (relative or absolute).</summary>
    public string To { get; }

    /// <summary>The message type.</summary>
    public string Type { get; }

    /// <summary>True when the frame has a <c>parent</c> (an answer, or a call made while handling one).</summary>
    public bool HasParent { get; }

    /// <summary>
    /// Reads the routing fields of <paramref name="frame"/>; false when it is not a frame this path forwards (not a map,
    /// a key that is not a valid string, <c>to</c> or <c>type</c> missing, a routing field repeated or of another type),
    /// which the router then reads the general way.
    /// </summary>
    /// <exception cref="MsgPackException">The frame is not well-formed msgpack, breaks a reader limit, or a routing
    /// string is not valid UTF-8.</exception>
    public static bool TryRead(ReadOnlyMemory<byte> frame, MsgPackReaderOptions options, out StampedFrame stamped)
    {
        stamped = default;
        var reader = new MsgPackReader(frame, options);
        if (reader.End || reader.NextType != MsgPackType.Map)
        {
            return false;
        }

        int mainCount = reader.ReadMapHeader();
        int entriesStart = (int)reader.Consumed;
        string? to = null;
        string? type = null;
        Range fromEntry = None, workspaceEntry = None, userEntry = None, toEntry = None, session = None, parent = None, method = None;
        for (int i = 0; i < mainCount; i++)
        {
            int entryStart = (int)reader.Consumed;
            if (reader.NextType != MsgPackType.String)
            {
                return false;
            }

            ReadOnlySpan<byte> key = reader.ReadStringSequence().FirstSpan;
            bool read = key switch
            {
                _ when key.SequenceEqual("to"u8) => TryReadString(ref reader, ref to) && TryMark(ref toEntry, entryStart, reader),
                _ when key.SequenceEqual("type"u8) => TryReadString(ref reader, ref type),
                _ when key.SequenceEqual("from"u8) => TrySkip(ref reader, ref fromEntry, entryStart),
                _ when key.SequenceEqual("ws"u8) => TrySkip(ref reader, ref workspaceEntry, entryStart),
                _ when key.SequenceEqual("user"u8) => TrySkip(ref reader, ref userEntry, entryStart),
                _ when key.SequenceEqual("session"u8) => TryFind(ref reader, ref session),
                _ when key.SequenceEqual("parent"u8) => TryFind(ref reader, ref parent),
                _ when key.SequenceEqual("method"u8) => TryFind(ref reader, ref method),
                _ => Utf8.IsValid(key) && Skip(ref reader),
            };
            if (!read)
            {
                return false;
            }
        }

        if (to is null || type is null)
        {
            return false;
        }

        int mainEnd = (int)reader.Consumed;
        while (!reader.End)
        {
            reader.Skip();
        }

        stamped = new StampedFrame(to, type, fromEntry, workspaceEntry, userEntry, toEntry, session, method, !parent.Equals(None),
            mainCount, entriesStart, mainEnd);
        return true;
    }

    /// <summary>The <c>session</c> as a string, or null.</summary>
    public string? SessionOf(ReadOnlySpan<byte> frame) => _session.Equals(None) ? null : Encoding.UTF8.GetString(frame[_session]);

    /// <summary>The UTF-8 bytes of <c>method</c>, empty when it has none.</summary>
    public ReadOnlySpan<byte> MethodOf(ReadOnlySpan<byte> frame) => frame[_method];

    /// <summary>The most bytes <see cref="WriteTo"/> writes with a stamp of <paramref name="stampLength"/> bytes.</summary>
    public static int MaxStampedLength(int frameLength, int stampLength, string target) =>
        frameLength + 5 + stampLength + 1 + HyphaKeys.To.Length + 5 + Encoding.UTF8.GetMaxByteCount(target.Length);

    /// <summary>
    /// Writes the frame stamped into <paramref name="destination"/>: <c>main</c> without the sender's <c>from</c>,
    /// <c>ws</c> and <c>user</c> (and <c>to</c> when <paramref name="target"/> differs from it), then <c>to</c> when
    /// it changed, then <paramref name="stamp"/> (the sender's <c>from</c>, <c>ws</c> and <c>user</c> pairs), then the
    /// rest of the frame unchanged.
    /// </summary>
    /// <returns>The number of bytes written.</returns>
    public int WriteTo(ReadOnlySpan<byte> frame, Span<byte> destination, string target, ReadOnlySpan<byte> stamp)
    {
        bool retarget = target != To;
        Span<Range> dropped = [_fromEntry, _workspaceEntry, _userEntry, retarget ? _toEntry : None];
        dropped.Sort(static (a, b) => a.Start.Value.CompareTo(b.Start.Value));
        int kept = _mainCount;
        foreach (Range entry in dropped)
        {
            kept -= entry.Equals(None) ? 0 : 1;
        }

        MsgPackPrimitives.TryWriteMapHeader(destination, (uint)(kept + 3 + (retarget ? 1 : 0)), out int at);
        int copied = _entriesStart;
        foreach (Range entry in dropped)
        {
            if (!entry.Equals(None))
            {
                at += Copy(frame[copied..entry.Start.Value], destination[at..]);
                copied = entry.End.Value;
            }
        }

        at += Copy(frame[copied.._mainEnd], destination[at..]);
        if (retarget)
        {
            at += WriteString(destination[at..], HyphaKeys.To);
            at += WriteString(destination[at..], target);
        }

        at += Copy(stamp, destination[at..]);
        at += Copy(frame[_mainEnd..], destination[at..]);
        return at;
    }

    /// <summary>The <c>from</c>, <c>ws</c> and <c>user</c> pairs a client's frames are stamped with, encoded once.</summary>
    public static byte[] StampOf(string address, string workspace, RawMsgPack user)
    {
        var output = new ArrayBufferWriter<byte>(64 + user.Bytes.Length);
        var writer = new MsgPackWriter(output);
        writer.Write(HyphaKeys.From);
        writer.Write(address);
        writer.Write(HyphaKeys.Workspace);
        writer.Write(workspace);
        writer.Write(HyphaKeys.User);
        writer.WriteRaw(user.Bytes.Span);
        writer.Flush();
        return output.WrittenSpan.ToArray();
    }

    // A routing string read once: a second one, or another type, is for the general path to judge.
    private static bool TryReadString(ref MsgPackReader reader, ref string? value)
    {
        if (value is not null || reader.NextType != MsgPackType.String)
        {
            return false;
        }

        value = reader.ReadRecurringString();
        return true;
    }

    private static bool TryMark(ref Range entry, int entryStart, in MsgPackReader reader)
    {
        entry = entryStart..(int)reader.Consumed;
        return true;
    }

    private static bool TrySkip(ref MsgPackReader reader, ref Range entry, int entryStart)
    {
        if (!entry.Equals(None))
        {
            return false;
        }

        reader.Skip();
        entry = entryStart..(int)reader.Consumed;
        return true;
    }

    // A string field the router reads as bytes: nil counts as absent, as the message model reads it.
    private static bool TryFind(ref MsgPackReader reader, ref Range body)
    {
        if (!body.Equals(None))
        {
            return false;
        }

        if (reader.TryReadNil())
        {
            return true;
        }

        if (reader.NextType != MsgPackType.String)
        {
            return false;
        }

        long start = reader.Consumed;
        ReadOnlySequence<byte> value = reader.ReadStringSequence();
        if (!Utf8.IsValid(value.FirstSpan))
        {
            throw new MsgPackException("The string is not valid UTF-8", start);
        }

        int end = (int)reader.Consumed;
        body = (end - (int)value.Length)..end;
        return true;
    }

    private static bool Skip(ref MsgPackReader reader)
    {
        reader.Skip();
        return true;
    }

    private static int Copy(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        source.CopyTo(destination);
        return source.Length;
    }

    private static int WriteString(Span<byte> destination, string value)
    {
        int length = Encoding.UTF8.GetByteCount(value);
        MsgPackPrimitives.TryWriteStringHeader(destination, (uint)length, out int header);
        return header + Encoding.UTF8.GetBytes(value, destination[header..]);
    }
}
