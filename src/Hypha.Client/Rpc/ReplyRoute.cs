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
    // once, so writing all three up front was two strings per call for nothing). The explicit form's descriptors are
    // an object of their own: a compact route, one per call answered, stays four fields.
    private readonly string? _caller;
    private readonly string? _session;
    private readonly ExplicitEndpoints? _explicit;

    // Seconds between heartbeats; NaN when the caller asked for none.
    private readonly double _interval;

    private ReplyRoute(string? caller, string? session, ExplicitEndpoints? endpoints, double? interval)
    {
        _caller = caller;
        _session = session;
        _explicit = endpoints;
        _interval = interval ?? double.NaN;
    }

    /// <summary>Where the result goes.</summary>
    public ReplyEndpoint Resolve => _explicit?.Resolve ?? Compact(HyphaKeys.Resolve);

    /// <summary>The address the result goes to, without the path <see cref="Resolve"/> writes.</summary>
    public string ResolveTarget => _explicit?.Resolve.Target ?? _caller!;

    /// <summary>Where an error goes.</summary>
    public ReplyEndpoint Reject => _explicit?.Reject ?? Compact(HyphaKeys.Reject);

    /// <summary>Where heartbeats go while the call runs, if anywhere.</summary>
    public ReplyEndpoint? Heartbeat => _explicit is { } endpoints ? endpoints.Heartbeat : Compact(HyphaKeys.Heartbeat);

    /// <summary>Seconds between heartbeats, if the caller asked for them.</summary>
    public double? HeartbeatInterval => double.IsNaN(_interval) ? null : _interval;

    public static ReplyRoute Compact(string caller, string session, double? interval) => new(caller, session, null, interval);

    public static ReplyRoute Explicit(ExplicitPromise promise, string senderWorkspace)
    {
        ReplyEndpoint Of(RemoteMethod method) => new(method.AbsoluteTarget(senderWorkspace), method.Method);
        var endpoints = new ExplicitEndpoints(Of(promise.Resolve), Of(promise.Reject), promise.Heartbeat is { } heartbeat ? Of(heartbeat) : null);
        return new ReplyRoute(null, null, endpoints, promise.HeartbeatInterval);
    }

    private ReplyEndpoint Compact(string callback) => new(_caller!, $"{_session}.{callback}");

    // The descriptors of an explicit promise, as the caller sent them.
    private sealed record ExplicitEndpoints(ReplyEndpoint Resolve, ReplyEndpoint Reject, ReplyEndpoint? Heartbeat);
}
