using Hypha.Protocol.Messages;
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

    // The method of the call that hands a chunked message over to its target (hypha-protocol.md §3.1).
    private const string ChunkProcessMethod = "services.built-in.message_cache.process";
    private static readonly byte[] ChunkProcessMethodUtf8 = System.Text.Encoding.UTF8.GetBytes(ChunkProcessMethod);

    // A message a client sent in chunks is handed over by its process call, whose key is the session the message
    // belongs to: for a large answer, the caller's session waiting on this sender. Without this the answer would stay
    // owed for as long as the callee stays connected (one entry per large answer, and past 65,536 its calls would no
    // longer be tracked). A large call *into* that session (a callback's arguments) has the same key and is taken for
    // the answer too: the caller then learns of the callee's disconnect from its own timeout, as with any hypha server.
    private void ForgetAnsweredInChunks(string sender, string target, HyphaCall process)
    {
        if (process.Args is [var key, ..] && key.TryGetString(out string? session))
        {
            _pending.AnsweredInChunks(sender, target, session);
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
