using System.Buffers;
using System.Text.Unicode;
using Hypha.Protocol.MsgPack;
using Hypha.Protocol.Schemas;

namespace Hypha.Protocol.Messages;

/// <summary>
/// The body of an <c>rpc_method_v4</c> message in the binary form (docs/wire-format.md §7.4) read as the answer to one
/// of the receiver's calls, as <see cref="AnswerFrame"/> reads a hypha frame: the session, the sender and the
/// arguments, without a message object and without the <c>method</c> and <c>parent</c> strings, unique to each call,
/// that nobody keeps (a method sent as a literal is read as its bytes).
/// Only the shape the message model reads the same way is taken: <c>type</c> <c>"method"</c>, <c>from</c> and a
/// <c>method</c> of an answer's form, and any of <c>to</c>, <c>parent</c>, <c>ws</c>, <c>user</c>, <c>args</c> and a
/// false <c>with_kwargs</c>. Anything else is not read, and the general path (<see cref="RpcMethodV4.Read(ref SchemaReader)"/>) decides
/// what it is.
/// </summary>
/// <remarks>
/// The presence bits are those of the schema's optional fields in index order (schema-language.md §3), for the
/// version whose fingerprint is <see cref="Fingerprint"/>: a test holds the built-in schema to it.
/// </remarks>
public readonly struct BinaryAnswer
{
    /// <summary>The fingerprint of the <c>rpc_method_v4</c> version this reader knows the fields of.</summary>
    public const string Fingerprint = "e26731b472251283";

    private const int OptionalFields = 13;
    private const ulong From = 1UL << 0;
    private const ulong To = 1UL << 1;
    private const ulong Method = 1UL << 2;
    private const ulong Parent = 1UL << 3;
    private const ulong Ws = 1UL << 5;
    private const ulong User = 1UL << 6;
    private const ulong Args = 1UL << 8;
    private const ulong WithKwargs = 1UL << 9;
    private const ulong Taken = From | To | Method | Parent | Ws | User | Args | WithKwargs;

    // The method as the table's string when it was interned, otherwise the range of its bytes in the body; the
    // session's length is in the same units.
    private readonly string? _internedMethod;
    private readonly Range _literalMethod;
    private readonly int _sessionLength;

    private BinaryAnswer(AnswerKind kind, string from, string? internedMethod, Range literalMethod, int sessionLength, RawMsgPack? args)
    {
        Kind = kind;
        Sender = from;
        _internedMethod = internedMethod;
        _literalMethod = literalMethod;
        _sessionLength = sessionLength;
        Arguments = args;
    }

    /// <summary>The answer's kind.</summary>
    public AnswerKind Kind { get; }

    /// <summary>The sender's address.</summary>
    public string Sender { get; }

    /// <summary>
    /// Writes the session answered (the method before its first dot) into <paramref name="destination"/>; false when it
    /// does not fit.
    /// </summary>
    /// <param name="body">The body the answer was read from.</param>
    /// <param name="destination">Where the session's characters go.</param>
    /// <param name="length">How many characters were written.</param>
    public bool TryCopySession(ReadOnlySpan<byte> body, Span<char> destination, out int length)
    {
        if (_internedMethod is { } method)
        {
            length = _sessionLength;
            return method.AsSpan(0, _sessionLength).TryCopyTo(destination);
        }

        return Utf8.ToUtf16(body[_literalMethod][.._sessionLength], destination, out _, out length, replaceInvalidSequences: false) == OperationStatus.Done;
    }

    /// <summary>The <c>args</c> value (checked well-formed), a slice of the body; null when it has none.</summary>
    public RawMsgPack? Arguments { get; }

    /// <summary>
    /// Reads <paramref name="body"/>, a binary <c>rpc_method_v4</c> body whose definitions are in
    /// <paramref name="interns"/> already, as an answer; false when it is not one this reader takes (a body that does not
    /// decode included), which the general path then reads.
    /// </summary>
    public static bool TryRead(ReadOnlyMemory<byte> body, InternReceiveTable? interns, out BinaryAnswer answer)
    {
        answer = default;
        try
        {
            var reader = new SchemaReader(body, interns);
            ulong present = reader.ReadPresence(OptionalFields);
            if ((present & ~Taken) != 0 || (present & (From | Method)) != (From | Method) || reader.ReadInternedString() != HyphaKeys.MethodType)
            {
                return false;
            }

            string from = reader.ReadInternedString();
            if ((present & To) != 0)
            {
                reader.ReadInternedString();
            }

            string? method = reader.ReadInternedStringOrUtf8(out Range literal);
            bool parsed = method is not null
                ? AnswerFrame.TryParseMethod(method, out AnswerKind kind, out int sessionLength)
                : AnswerFrame.TryParseMethod(body.Span[literal], out kind, out sessionLength);
            if (!parsed)
            {
                return false;
            }

            if ((present & Parent) != 0)
            {
                reader.SkipString();
            }

            if ((present & Ws) != 0)
            {
                reader.ReadInternedString();
            }

            if ((present & User) != 0)
            {
                reader.ReadInternedAny();
            }

            RawMsgPack? args = (present & Args) != 0 ? reader.ReadAny() : null;
            if ((present & WithKwargs) != 0 && reader.ReadBool())
            {
                return false;
            }

            if (reader.Remaining != 0)
            {
                return false;
            }

            answer = new BinaryAnswer(kind, from, method, literal, sessionLength, args);
            return true;
        }
        catch (SchemaFormatException)
        {
            return false;
        }
    }
}
