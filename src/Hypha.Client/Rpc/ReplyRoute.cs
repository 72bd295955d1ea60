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
internal sealed record ReplyRoute(ReplyEndpoint Resolve, ReplyEndpoint Reject, ReplyEndpoint? Heartbeat, double? HeartbeatInterval)
{
    public static ReplyRoute Compact(string caller, string session, double? interval) => new(
        new(caller, $"{session}.{HyphaKeys.Resolve}"),
        new(caller, $"{session}.{HyphaKeys.Reject}"),
        new(caller, $"{session}.{HyphaKeys.Heartbeat}"),
        interval);

    public static ReplyRoute Explicit(ExplicitPromise promise, string senderWorkspace)
    {
        ReplyEndpoint Of(RemoteMethod method) => new(method.AbsoluteTarget(senderWorkspace), method.Method);
        return new ReplyRoute(Of(promise.Resolve), Of(promise.Reject), promise.Heartbeat is { } heartbeat ? Of(heartbeat) : null, promise.HeartbeatInterval);
    }
}
