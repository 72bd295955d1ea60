using System.Collections.Concurrent;
using System.Text;

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

    private readonly ConcurrentDictionary<string, ConcurrentDictionary<PendingCall, byte>> _byCallee = new(StringComparer.Ordinal);

    /// <summary>Records that <paramref name="caller"/> waits, in <paramref name="session"/>, for <paramref name="callee"/>.</summary>
    public void Started(string callee, string caller, string session)
    {
        ConcurrentDictionary<PendingCall, byte> calls = _byCallee.GetOrAdd(callee, static _ => new());
        if (calls.Count < MaxPerCallee)
        {
            calls.TryAdd(new PendingCall(caller, session), 0);
        }
    }

    /// <summary>
    /// Forgets a call once its answer passes: <paramref name="method"/> is <c>&lt;session&gt;.resolve</c> or
    /// <c>.reject</c>, sent by the callee to the caller. Other methods are ignored.
    /// </summary>
    public void Answered(string callee, string caller, string method)
    {
        int dot = method.IndexOf('.');
        if (dot > 0 && method.AsSpan(dot + 1) is "resolve" or "reject")
        {
            Forget(callee, caller, method[..dot]);
        }
    }

    /// <summary>As <see cref="Answered(string, string, string)"/>, from the UTF-8 bytes of the method.</summary>
    public void Answered(string callee, string caller, ReadOnlySpan<byte> method)
    {
        int dot = method.IndexOf((byte)'.');
        if (dot > 0 && (method[(dot + 1)..].SequenceEqual("resolve"u8) || method[(dot + 1)..].SequenceEqual("reject"u8)))
        {
            Forget(callee, caller, Encoding.UTF8.GetString(method[..dot]));
        }
    }

    private void Forget(string callee, string caller, string session)
    {
        if (_byCallee.TryGetValue(callee, out ConcurrentDictionary<PendingCall, byte>? calls))
        {
            calls.TryRemove(new PendingCall(caller, session), out _);
        }
    }

    /// <summary>True when no tracked call waits for an answer.</summary>
    public bool IsEmpty => _byCallee.Values.All(calls => calls.IsEmpty);

    /// <summary>Removes and returns every call still waiting on <paramref name="callee"/>.</summary>
    public IReadOnlyCollection<PendingCall> Abandon(string callee) =>
        _byCallee.TryRemove(callee, out ConcurrentDictionary<PendingCall, byte>? calls) ? (IReadOnlyCollection<PendingCall>)calls.Keys : [];
}

/// <summary>A call waiting for its answer: who waits, and in which of its sessions.</summary>
internal readonly record struct PendingCall(string Caller, string Session);
