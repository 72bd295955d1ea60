using Hypha.Protocol.Messages;
using Hypha.Protocol.MsgPack;
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

    /// <summary>The type of the message that tells a client a peer is gone (hypha-protocol.md §1.3).</summary>
    public const string PeerNotFoundType = "peer_not_found";
    private const string PeerIdKey = "peer_id";
    private const string ErrorKey = "error";

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

    /// <summary>
    /// Tells the clients of other workspaces that <paramref name="leaver"/> called that it is gone: a
    /// <c>peer_not_found</c> message naming it, which hypha-rpc clients (and ours) take as "drop every session of
    /// that peer" (what its own workspace learns from <c>client_disconnected</c>).
    /// </summary>
    public async ValueTask TellForeignCalleesAsync(ClientConnection leaver)
    {
        ArgumentNullException.ThrowIfNull(leaver);
        ReadOnlyMemory<byte>? frame = null;
        foreach (string callee in leaver.ForeignCallees.All)
        {
            if (_registry.Find(callee) is { } connection)
            {
                frame ??= PeerNotFound(leaver.Address);
                await connection.SendAsync(OutboundFrame.Message(RoutedMessage.FromFrame(frame.Value), NativeChannel.Rpc)).ConfigureAwait(false);
            }
        }
    }

    // As the legacy hypha server's: no session (nothing to reject by name), the peer's address and why.
    private static ReadOnlyMemory<byte> PeerNotFound(string peer) => ((MsgPackValue)new MsgPackMap(3)
    {
        { HyphaKeys.Type, PeerNotFoundType },
        { PeerIdKey, peer },
        { ErrorKey, $"Client disconnected: {peer}" },
    }).ToBytes();

    // Client-to-client calls only: the manager fails its own calls on disconnect, and broadcasts expect no answer.
    private void TrackCall(ClientConnection sender, string target, string? session, string? parent, string? method)
    {
        if (target == ManagerAddress || target.EndsWith("/" + Addresses.Broadcast, StringComparison.Ordinal))
        {
            return;
        }

        if (session is not null)
        {
            _pending.Started(target, sender.Address, session);
            sender.ForeignCallees.Called(target);
        }
        else if (parent is not null && method is not null)
        {
            _pending.Answered(sender.Address, target, method);
        }
    }
}
