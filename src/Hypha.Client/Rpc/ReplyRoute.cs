using Hypha.Protocol.Messages;
using Hypha.Protocol.Objects;

namespace Hypha.Client.Rpc;

/// <summary>Where one answer goes: the caller's address and the path of its callback there.</summary>
internal readonly record struct ReplyEndpoint(string Target, string Method);

/// <summary>
/// Where the answers to one incoming call go: resolve, reject, and heartbeat while it runs. From the compact promise
/// these are the caller's <c>&lt;session&gt;.resolve</c>, <c>.reject</c> and <c>.heartbeat</c>; from the explicit map,
/// the descriptors it names, with their bare targets made absolute.
/// </summary>
internal sealed class ReplyRoute
{
    // The compact form: the caller and its session; each path is written when its answer is sent (a call is answered
    // once, so writing all three up front was two strings per call for nothing).
    private readonly string? _caller;
    private readonly string? _session;

    // The explicit form: the descriptors as the caller sent them.
    private readonly ReplyEndpoint _resolve;
    private readonly ReplyEndpoint _reject;
    private readonly ReplyEndpoint? _heartbeat;

    private ReplyRoute(string? caller, string? session, ReplyEndpoint resolve, ReplyEndpoint reject, ReplyEndpoint? heartbeat, double? interval)
    {
        _caller = caller;
        _session = session;
        _resolve = resolve;
        _reject = reject;
        _heartbeat = heartbeat;
        HeartbeatInterval = interval;
    }

    /// <summary>Where the result goes.</summary>
    public ReplyEndpoint Resolve => _session is null ? _resolve : Compact(HyphaKeys.Resolve);

    /// <summary>Where an error goes.</summary>
    public ReplyEndpoint Reject => _session is null ? _reject : Compact(HyphaKeys.Reject);

    /// <summary>Where heartbeats go while the call runs, if anywhere.</summary>
    public ReplyEndpoint? Heartbeat => _session is null ? _heartbeat : Compact(HyphaKeys.Heartbeat);

    /// <summary>Seconds between heartbeats, if the caller asked for them.</summary>
    public double? HeartbeatInterval { get; }

    public static ReplyRoute Compact(string caller, string session, double? interval) => new(caller, session, default, default, null, interval);

    public static ReplyRoute Explicit(ExplicitPromise promise, string senderWorkspace)
    {
        ReplyEndpoint Of(RemoteMethod method) => new(method.AbsoluteTarget(senderWorkspace), method.Method);
        return new ReplyRoute(null, null, Of(promise.Resolve), Of(promise.Reject), promise.Heartbeat is { } heartbeat ? Of(heartbeat) : null, promise.HeartbeatInterval);
    }

    private ReplyEndpoint Compact(string callback) => new(_caller!, $"{_session}.{callback}");
}
