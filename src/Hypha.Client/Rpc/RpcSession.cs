using System.Collections.Concurrent;

namespace Hypha.Client.Rpc;

/// <summary>
/// One entry of the object store: created for every outgoing call, it holds the callbacks and generators that the
/// call's arguments (or a result) handed to the peer, the address they may be called from, and, for calls that
/// expect a result, the pending promise and its timeout.
/// </summary>
internal sealed class RpcSession
{
    private long _lastActivity = Environment.TickCount64;

    public RpcSession(string id, string targetId)
    {
        Id = id;
        TargetId = targetId;
    }

    public string Id { get; }

    /// <summary>The only address allowed to call this session's objects (and resolve it).</summary>
    public string TargetId { get; }

    /// <summary>Completed by resolve or reject; null for fire-and-forget calls.</summary>
    public PendingAnswer? Pending { get; set; }

    /// <summary>The timeout a heartbeat renews.</summary>
    public TimeSpan TimeoutDuration { get; private set; }

    /// <summary>The function called, for the timeout's message; set when the timeout is armed.</summary>
    public string? Path { get; private set; }

    // When the call times out (Environment.TickCount64), or 0 while no timeout is armed. The peer's deadline scan
    // reads it: a per-call timer would cost a timer, a token source and a registration per call.
    private long _deadline;

    // Callbacks (LocalFunction) and generators (GeneratorState) by object id. Created on first use: most calls hand
    // out none, and an empty concurrent dictionary costs about a kilobyte.
    private ConcurrentDictionary<string, object>? _objects;

    /// <summary>True when the session handed out callbacks or generators that are still alive.</summary>
    public bool HasObjects => _objects is { IsEmpty: false };

    public void AddObject(string objectId, object item) =>
        LazyInitializer.EnsureInitialized(ref _objects, static () => new(StringComparer.Ordinal))[objectId] = item;

    public object? FindObject(string objectId) => _objects?.GetValueOrDefault(objectId);

    public void RemoveObject(string objectId) => _objects?.TryRemove(objectId, out _);

    /// <summary>Every object still held, removed from the session.</summary>
    /// <remarks>
    /// Most sessions hand nothing out: theirs is the shared empty array (an empty collection expression of this type
    /// would be a new list per released session).
    /// </remarks>
    public ICollection<object> TakeObjects()
    {
        ConcurrentDictionary<string, object>? objects = Interlocked.Exchange(ref _objects, null);
        return objects is null ? Array.Empty<object>() : objects.Values;
    }

    public long IdleMilliseconds => Environment.TickCount64 - Interlocked.Read(ref _lastActivity);

    public void Touch() => Interlocked.Exchange(ref _lastActivity, Environment.TickCount64);

    /// <summary>
    /// Arms the timeout once the call is sent. The answer may already have arrived and released the session; then
    /// the deadline is never read, since only the sessions still in the store are scanned.
    /// </summary>
    public void StartTimeout(TimeSpan duration, string path)
    {
        TimeoutDuration = duration;
        Path = path;
        Touch();
        Volatile.Write(ref _deadline, Environment.TickCount64 + (long)duration.TotalMilliseconds);
    }

    /// <summary>Pushes the timeout back, as a heartbeat of the callee does.</summary>
    public void RenewTimeout()
    {
        Touch();
        if (Volatile.Read(ref _deadline) != 0)
        {
            Volatile.Write(ref _deadline, Environment.TickCount64 + (long)TimeoutDuration.TotalMilliseconds);
        }
    }

    /// <summary>True once an armed timeout has passed at <paramref name="now"/> (Environment.TickCount64).</summary>
    public bool IsOverdue(long now)
    {
        long deadline = Volatile.Read(ref _deadline);
        return deadline != 0 && now >= deadline;
    }
}
