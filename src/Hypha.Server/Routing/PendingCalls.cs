using System.Collections.Concurrent;
using System.Text;
using Hypha.Protocol.Messages;

namespace Hypha.Server.Routing;

/// <summary>
/// The calls each client owes an answer to: every routed call that expects a result (it has a <c>session</c>),
/// until the callee answers it (<c>&lt;session&gt;.resolve</c> or <c>.reject</c>). When a callee disconnects, its
/// callers get a reject at once instead of waiting for their timeout. hypha's own <c>client_disconnected</c> event
/// cannot do this for callers in other workspaces: events stay in the callee's workspace.
/// </summary>
internal sealed class PendingCalls
{
    // A callee that never answers must not grow the server's memory: past this many, calls are not tracked and
    // their callers rely on their own timeout, as with any hypha server.
    private const int MaxPerCallee = 65_536;

    // A session id longer than this is looked up through a string of its own rather than characters on the stack.
    private const int StackSessionBytes = 256;

    private readonly ConcurrentDictionary<string, Owed> _byCallee = new(StringComparer.Ordinal);

    /// <summary>Records that <paramref name="caller"/> waits, in <paramref name="session"/>, for <paramref name="callee"/>.</summary>
    public void Started(string callee, string caller, string session)
    {
        Owed owed = _byCallee.GetOrAdd(callee, static _ => new());
        if (Volatile.Read(ref owed.Count) < MaxPerCallee && owed.Calls.TryAdd(new PendingCall(caller, session), 0))
        {
            Interlocked.Increment(ref owed.Count);
        }
    }

    /// <summary>
    /// Forgets a call once its answer passes: <paramref name="method"/> is <c>&lt;session&gt;.resolve</c> or
    /// <c>.reject</c>, sent by the callee to the caller. Other methods are ignored.
    /// </summary>
    public void Answered(string callee, string caller, string method)
    {
        if (AnswerFrame.TryParseMethod(method, out AnswerKind kind, out int dot) && kind != AnswerKind.Heartbeat)
        {
            Forget(callee, new PendingCallText(caller, method.AsSpan(0, dot)));
        }
    }

    /// <summary>As <see cref="Answered(string, string, string)"/>, from the UTF-8 bytes of the method, without a string.</summary>
    public void Answered(string callee, string caller, ReadOnlySpan<byte> method)
    {
        if (!AnswerFrame.TryParseMethod(method, out AnswerKind kind, out int dot) || kind == AnswerKind.Heartbeat)
        {
            return;
        }

        ReadOnlySpan<byte> session = method[..dot];
        if (session.Length > StackSessionBytes)
        {
            Forget(callee, new PendingCallText(caller, Encoding.UTF8.GetString(session)));
            return;
        }

        Span<char> chars = stackalloc char[StackSessionBytes];
        Forget(callee, new PendingCallText(caller, chars[..Encoding.UTF8.GetChars(session, chars)]));
    }

    /// <summary>
    /// Forgets the call <paramref name="caller"/> waits for in <paramref name="session"/>, answered in chunks: a large
    /// resolve or reject travels as calls into the caller's <c>message_cache</c> under the key of the session it
    /// answers (hypha-protocol.md §3.1), so its <c>.resolve</c> never passes the router. Nothing happens when no such
    /// call is owed (a chunked call's key is a random one).
    /// </summary>
    public void AnsweredInChunks(string callee, string caller, string session) => Forget(callee, new PendingCallText(caller, session));

    /// <summary>
    /// Forgets a call the router answered itself with a reject (its callee could not be reached), and the callee's
    /// entry with it once nothing more is owed there: a caller that keeps calling addresses nobody holds must not grow
    /// the table. A call another thread records for that callee at the same moment may land in the entry removed;
    /// its caller then waits for its own timeout if the callee disconnects, as with any hypha server.
    /// </summary>
    public void Rejected(string callee, string caller, string session)
    {
        Forget(callee, new PendingCallText(caller, session));
        if (_byCallee.TryGetValue(callee, out Owed? owed) && owed.Calls.IsEmpty)
        {
            _byCallee.TryRemove(KeyValuePair.Create(callee, owed));
        }
    }

    /// <summary>The number of callees with an entry, for tests of the table's bounds.</summary>
    internal int CalleeCount => _byCallee.Count;

    private void Forget(string callee, PendingCallText call)
    {
        if (_byCallee.TryGetValue(callee, out Owed? owed)
            && owed.Calls.GetAlternateLookup<PendingCallText>().TryRemove(call, out _, out _))
        {
            Interlocked.Decrement(ref owed.Count);
        }
    }

    /// <summary>True when no tracked call waits for an answer.</summary>
    public bool IsEmpty => _byCallee.Values.All(owed => owed.Calls.IsEmpty);

    /// <summary>Removes and returns every call still waiting on <paramref name="callee"/>.</summary>
    public IReadOnlyCollection<PendingCall> Abandon(string callee) =>
        _byCallee.TryRemove(callee, out Owed? owed) ? (IReadOnlyCollection<PendingCall>)owed.Calls.Keys : [];

    // One callee's calls, with their number kept apart: ConcurrentDictionary.Count takes every lock of the table.
    private sealed class Owed
    {
        public readonly ConcurrentDictionary<PendingCall, byte> Calls = new(PendingCallComparer.Instance);
        public int Count;
    }
}

/// <summary>A call waiting for its answer: who waits, and in which of its sessions.</summary>
internal readonly record struct PendingCall(string Caller, string Session);

/// <summary>A <see cref="PendingCall"/> to look up, its session as characters that need not be a string.</summary>
internal readonly ref struct PendingCallText(string caller, ReadOnlySpan<char> session)
{
    public string Caller { get; } = caller;

    public ReadOnlySpan<char> Session { get; } = session;
}

/// <summary>Compares pending calls ordinally, also against a <see cref="PendingCallText"/>.</summary>
internal sealed class PendingCallComparer : IEqualityComparer<PendingCall>, IAlternateEqualityComparer<PendingCallText, PendingCall>
{
    public static PendingCallComparer Instance { get; } = new();

    public bool Equals(PendingCall x, PendingCall y) => string.Equals(x.Caller, y.Caller, StringComparison.Ordinal) && string.Equals(x.Session, y.Session, StringComparison.Ordinal);

    public int GetHashCode(PendingCall obj) => HashOf(obj.Caller, obj.Session);

    public bool Equals(PendingCallText alternate, PendingCall other) =>
        string.Equals(alternate.Caller, other.Caller, StringComparison.Ordinal) && alternate.Session.SequenceEqual(other.Session);

    public int GetHashCode(PendingCallText alternate) => HashOf(alternate.Caller, alternate.Session);

    public PendingCall Create(PendingCallText alternate) => new(alternate.Caller, alternate.Session.ToString());

    // string.GetHashCode of a span is the hash of a string of the same characters: both forms hash alike.
    private static int HashOf(string caller, ReadOnlySpan<char> session) => HashCode.Combine(string.GetHashCode(caller), string.GetHashCode(session));
}
