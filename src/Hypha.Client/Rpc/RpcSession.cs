using System.Collections.Concurrent;
using Hypha.Protocol.MsgPack;

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
    public TaskCompletionSource<MsgPackValue>? Pending { get; set; }

    /// <summary>Cancelled when the call times out; every heartbeat pushes it back.</summary>
    public CancellationTokenSource? Timeout { get; set; }

    /// <summary>The timeout a heartbeat renews.</summary>
    public TimeSpan TimeoutDuration { get; set; }

    /// <summary>Callbacks (<see cref="Services.LocalFunction"/>) and generators (<see cref="GeneratorState"/>) by object id.</summary>
    public ConcurrentDictionary<string, object> Objects { get; } = new(StringComparer.Ordinal);

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
