using System.Collections.Concurrent;
using Hypha.Client.Services;
using Hypha.Protocol.MsgPack;

namespace Hypha.Client.Rpc;

/// <summary>
/// The RPC core shared by every hypha peer of this project (clients, and the server's workspace manager): the object
/// store of services and sessions, outgoing calls with their promises and timeouts, dispatch of incoming calls,
/// callbacks, generators, heartbeats and chunking. It knows nothing of sockets: frames go out through the send
/// function it is given, and come in through <see cref="HandleFrameAsync"/>.
/// </summary>
public sealed partial class RpcPeer : IAsyncDisposable
{
    private readonly MessageSender _send;
    private readonly ConcurrentDictionary<string, RpcSession> _sessions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, LocalService> _services = new(StringComparer.Ordinal);

    // Sessions by a span of a method path: an answer names its session without a string being cut out of the path.
    private readonly ConcurrentDictionary<string, RpcSession>.AlternateLookup<ReadOnlySpan<char>> _sessionsById;

    // Services by a span of the method path: a call names its service without a string being cut out of the path.
    private readonly ConcurrentDictionary<string, LocalService>.AlternateLookup<ReadOnlySpan<char>> _servicesByName;
    private readonly CancellationTokenSource _lifetime = new();
    private readonly CancellationToken _stopping;
    private readonly MsgPackReaderOptions _readerOptions;
    private readonly Timer _sweeper;
    private readonly Timer _deadlines;
    private int _runningCalls;
    private AddressWorkspace? _lastSender;

    // Every compact promise carries the same heartbeat interval (half the method timeout): encoded once.
    private readonly RawMsgPack _heartbeatInterval;

    /// <summary>Creates a peer that sends its messages through <paramref name="send"/>.</summary>
    public RpcPeer(RpcPeerOptions options, MessageSender send)
    {
        Options = options ?? throw new ArgumentNullException(nameof(options));
        ManagerAddress = AddressOfManager(options.ManagerId);
        _send = send ?? throw new ArgumentNullException(nameof(send));
        LocalAddress = $"{options.Workspace}/{options.ClientId}";
        _heartbeatInterval = Protocol.Messages.RpcMessages.Number(options.MethodTimeout.TotalSeconds / 2);
        _stopping = _lifetime.Token;
        _servicesByName = _services.GetAlternateLookup<ReadOnlySpan<char>>();
        _sessionsById = _sessions.GetAlternateLookup<ReadOnlySpan<char>>();
        _readerOptions = Protocol.Messages.HyphaFrame.DefaultReaderOptions with { MaxTotalSize = Math.Min(options.MaxMessageBytes, int.MaxValue) };
        AddService(BuildBuiltInService());
        TimeSpan sweep = options.IdleLifetime / 2;
        _sweeper = new Timer(_ => Sweep(), null, sweep, sweep);
        TimeSpan scan = DeadlineScanInterval(options.MethodTimeout);
        _deadlines = new Timer(_ => FailOverdue(), null, scan, scan);
    }

    /// <summary>Who this peer is and how it calls.</summary>
    public RpcPeerOptions Options { get; private set; }

    /// <summary>This peer's absolute address, <c>&lt;workspace&gt;/&lt;client id&gt;</c> (one string, sent with every call).</summary>
    public string LocalAddress { get; }

    /// <summary>The manager's absolute address, when known (made once: every incoming call compares its sender with it).</summary>
    public string? ManagerAddress { get; private set; }

    /// <summary>Raised for every event message (a <c>type</c> other than "method"), with the merged message.</summary>
    public event Action<string, MsgPackMap>? EventReceived;

    /// <summary>The services this peer offers, the built-in one included.</summary>
    public IReadOnlyCollection<LocalService> Services => (IReadOnlyCollection<LocalService>)_services.Values;

    /// <summary>The number of live sessions (pending calls, and callbacks or generators handed out).</summary>
    public int SessionCount => _sessions.Count;

    /// <summary>Adds or replaces a local service.</summary>
    public void AddService(LocalService service)
    {
        ArgumentNullException.ThrowIfNull(service);
        _services[service.Id] = service;
    }

    /// <summary>Removes a local service.</summary>
    public bool RemoveService(string serviceId) => serviceId != BuiltInServiceId && _services.TryRemove(serviceId, out _);

    /// <summary>A local service by id.</summary>
    public LocalService? FindService(string serviceId) => _services.GetValueOrDefault(serviceId);

    /// <summary>
    /// Points the peer at a (possibly new) manager after a reconnection, and rejects every call still waiting on
    /// the old one: its sessions died with it.
    /// </summary>
    public void ChangeManager(string managerId)
    {
        string? old = ManagerAddress;
        Options = Options with { ManagerId = managerId };
        ManagerAddress = AddressOfManager(managerId);
        if (old is not null && old != ManagerAddress)
        {
            RejectSessionsOf(old, $"Manager changed: {old} is gone");
        }
    }

    private static string? AddressOfManager(string? managerId) => managerId is null ? null : $"*/{managerId}";

    /// <summary>Fails every pending call of this peer (the connection is gone for good).</summary>
    public void RejectAll(string reason)
    {
        foreach (RpcSession session in _sessions.Values)
        {
            Fail(session, new RemoteException(reason));
        }
    }

    /// <summary>Fails the pending calls to <paramref name="target"/> and drops the sessions it could call back.</summary>
    public void RejectSessionsOf(string target, string reason)
    {
        foreach (RpcSession session in _sessions.Values)
        {
            if (session.TargetId == target)
            {
                Fail(session, new RemoteException($"{reason} (while calling {target})"));
            }
        }
    }

    /// <inheritdoc />
    /// <summary>
    /// Waits until no call is in flight either way (none of this peer's calls awaits an answer, none of the calls it
    /// serves is still running), or until <paramref name="timeout"/>. True when the peer went idle.
    /// </summary>
    public async Task<bool> WhenIdleAsync(TimeSpan timeout)
    {
        long deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        while (Volatile.Read(ref _runningCalls) > 0 || _sessions.Values.Any(session => session.Pending is { Task.IsCompleted: false }))
        {
            if (Environment.TickCount64 >= deadline)
            {
                return false;
            }

            await Task.Delay(10).ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>Stops the peer: calls still waiting fail, and nothing more is sent.</summary>
    public async ValueTask DisposeAsync()
    {
        await _lifetime.CancelAsync().ConfigureAwait(false);
        await _sweeper.DisposeAsync().ConfigureAwait(false);
        await _deadlines.DisposeAsync().ConfigureAwait(false);
        // The source is not disposed: work still finishing after this reads its token, and must see it cancelled.
        RejectAll("Connection was closed");
    }

    private RpcSession NewSession(string targetId)
    {
        var session = new RpcSession(RandomIds.New(), targetId);
        _sessions[session.Id] = session;
        return session;
    }

    private void Fail(RpcSession session, Exception error)
    {
        if (_sessions.TryRemove(session.Id, out _))
        {
            session.Pending?.Fail(error);
            Release(session);
        }
    }

    private void Complete(RpcSession session, IncomingCall answer)
    {
        if (_sessions.TryRemove(session.Id, out _))
        {
            session.Pending?.Complete(answer);
            Release(session);
        }
    }

    // A generator that ended or was closed. Its session goes with it once the session holds nothing more and awaits no
    // answer: nothing can call into it any more, and left for the idle sweep a provider streaming to many callers would
    // keep one session per generator it ever served for the sweep's whole lifetime (ten minutes by default).
    private void RemoveSpent(RpcSession session, string objectId)
    {
        session.RemoveObject(objectId);
        if (session.Pending is null && !session.HasObjects)
        {
            _sessions.TryRemove(session.Id, out _);
        }
    }

    private static void Release(RpcSession session)
    {
        foreach (object item in session.TakeObjects())
        {
            // Generators, dynamic or typed, end with their session.
            if (item is IAsyncDisposable generator)
            {
                _ = generator.DisposeAsync().AsTask();
            }
        }
    }

    // Sessions of fire-and-forget calls keep the callbacks they handed out; nothing says when those are done, so
    // sessions idle for IdleLifetime with no pending promise are dropped, as the hypha-rpc peers do.
    private void Sweep()
    {
        long limit = (long)Options.IdleLifetime.TotalMilliseconds;
        foreach (RpcSession session in _sessions.Values)
        {
            if (session.Pending is null && session.IdleMilliseconds > limit && _sessions.TryRemove(session.Id, out _))
            {
                Release(session);
            }
        }

        SweepMessageCache();
    }

    // Call timeouts are found by one scan of the pending calls, a twentieth of the method timeout apart (5 ms to
    // 1 s): a call times out at most 5 % late, and a call costs no timer of its own. Per-call timers cost about
    // 400 bytes and two timer-queue updates per call.
    private static TimeSpan DeadlineScanInterval(TimeSpan methodTimeout) =>
        TimeSpan.FromMilliseconds(Math.Clamp(methodTimeout.TotalMilliseconds / 20, 5, 1000));

    private void FailOverdue()
    {
        long now = Environment.TickCount64;
        foreach (RpcSession session in _sessions.Values)
        {
            if (session.Pending is not null && session.IsOverdue(now))
            {
                Fail(session, new TimeoutException($"Method call timed out: {session.TargetId}:{session.Path}"));
            }
        }
    }
}
