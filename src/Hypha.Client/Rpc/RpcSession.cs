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

    /// <summary>Cancelled when the call times out; every heartbeat pushes it back.</summary>
    public CancellationTokenSource? Timeout { get; set; }

    /// <summary>The timeout a heartbeat renews.</summary>
    public TimeSpan TimeoutDuration { get; set; }

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
    public ICollection<object> TakeObjects()
    {
        ConcurrentDictionary<string, object>? objects = Interlocked.Exchange(ref _objects, null);
        return objects is null ? [] : objects.Values;
    }

    public long IdleMilliseconds => Environment.TickCount64 - Interlocked.Read(ref _lastActivity);

    public void Touch() => Interlocked.Exchange(ref _lastActivity, Environment.TickCount64);

    /// <summary>
    /// Arms the timeout once the call is sent. The answer may already have arrived and released the session; then
    /// there is nothing left to time.
    /// </summary>
    public void StartTimeout(TimeSpan duration, Action onTimeout)
    {
        var timer = new CancellationTokenSource();
        timer.Token.Register(onTimeout);
        TimeoutDuration = duration;
        Timeout = timer;
        if (Pending?.Task.IsCompleted != false)
        {
            timer.Dispose();
            return;
        }

        RenewTimeout();
    }

    /// <summary>Pushes the timeout back, as a heartbeat of the callee does.</summary>
    public void RenewTimeout()
    {
        Touch();
        try
        {
            Timeout?.CancelAfter(TimeoutDuration);
        }
        catch (ObjectDisposedException)
        {
            // The call completed concurrently; nothing to renew.
        }
    }
}
