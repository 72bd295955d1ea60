using Hypha.Protocol.Schemas;
using Hypha.Protocol.Native;
using Hypha.Server.Connections;

namespace Hypha.Server.Routing;

internal sealed partial class MessageRouter
{
    private readonly PendingCalls _pending = new();

    /// <summary>True when no routed call waits for its answer (the server's shutdown drains until then).</summary>
    public bool HasNoPendingCalls => _pending.IsEmpty;

    /// <summary>
    /// Fails every call still waiting on a client that just disconnected: each caller gets a reject from that
    /// client's address, as if it had answered with the error.
    /// </summary>
    public async ValueTask FailCallsWaitingOnAsync(string callee)
    {
        foreach (PendingCall call in _pending.Abandon(callee))
        {
            if (_registry.Find(call.Caller) is { } caller)
            {
                RpcMethodV4 reject = SyntheticReject.Build(callee, call.Caller, call.Session, $"Client disconnected: {callee}");
                await caller.SendAsync(OutboundFrame.Message(RoutedMessage.FromMessage(reject), NativeChannel.Rpc)).ConfigureAwait(false);
            }
        }
    }

    // Client-to-client calls only: the manager fails its own calls on disconnect, and broadcasts expect no answer.
    private void TrackCall(string sender, string target, string? session, string? parent, string? method)
    {
        if (target == ManagerAddress || target.EndsWith("/" + Addresses.Broadcast, StringComparison.Ordinal))
        {
            return;
        }

        if (session is not null)
        {
            _pending.Started(target, sender, session);
        }
        else if (parent is not null && method is not null)
        {
            _pending.Answered(sender, target, method);
        }
    }
}
