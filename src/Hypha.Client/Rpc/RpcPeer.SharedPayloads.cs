using Hypha.Protocol.Buffers;
using Hypha.Protocol.Messages;
using Hypha.Protocol.MsgPack;
using Hypha.Protocol.Objects;
using Hypha.Protocol.Schemas;
using Hypha.Transport.SharedMemory;

namespace Hypha.Client.Rpc;

public sealed partial class RpcPeer
{
    /// <summary>
    /// What the connection offers for large messages (docs/native-mode.md, "Shared memory"). Null, as over a hypha
    /// WebSocket: frames over the chunk size go through <c>message_cache</c>, as hypha-rpc peers send them.
    /// </summary>
    public ILargePayloadTransport? LargePayloads { get; set; }

    // The largest frame sent whole: the connection's limit (a native connection carries large messages on its bulk
    // channel), never less than what hypha-rpc itself sends whole.
    private long MaxWholeMessage => Math.Max(LargePayloads?.MaxWholeMessage ?? 0, Options.ChunkSize + 1024);

    /// <summary>
    /// Handles one incoming message whose large payloads arrived by reference in shared memory: the frame's
    /// placeholders become binary values over the mapped bytes, with no copy. A call's payloads are let go once its
    /// answer is sent, a result's once its caller converted it. A payload that cannot be read fails that message's
    /// call (its caller gets the error), and nothing else.
    /// </summary>
    public ValueTask HandleMessageAsync(ReadOnlyMemory<byte> frame, IReadOnlyList<SharedMemoryLease>? payloads)
    {
        if (payloads is null || payloads.Count == 0)
        {
            return HandleFrameAsync(frame);
        }

        var scope = new PayloadScope(payloads);
        try
        {
            RpcMethodV4 message = RpcMessages.TryRead(frame, _readerOptions)
                ?? throw new HyphaProtocolException("A message with payloads in shared memory is not an rpc_method_v4 message.");
            Exception? unreadable = Open(payloads);
            if (message.Type != HyphaKeys.MethodType)
            {
                // Events with payloads this large are rare: they are delivered as one whole frame.
                return unreadable is null ? HandleEventAsync(frame, payloads, scope) : DropAsync(scope, unreadable);
            }

            var call = new IncomingCall(message, _readerOptions, unreadable is null ? MemoriesOf(payloads) : null);
            PendingAnswer? waiting = WaitingAnswerOf(message);
            Dispatch(call, scope, unreadable);
            if (!scope.IsClaimed)
            {
                // A dynamic caller converts its result later and lets go of its payloads then; everything else goes now.
                scope.DisposeExcept(waiting is { KeepsPayloads: true } && unreadable is null ? call.FirstArgument : default);
            }
        }
        catch (Exception ex) when (ex is MsgPackException or HyphaProtocolException or ArgumentException)
        {
            scope.Dispose();
            Options.Log?.Invoke($"Dropped an invalid frame: {ex.Message}");
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Calls a remote function and converts its result to <typeparamref name="T"/>. A result that arrived in shared
    /// memory is converted with no copy to an <see cref="System.Buffers.IMemoryOwner{T}"/> (the caller disposes it); to
    /// anything else it is copied, and let go of at once.
    /// </summary>
    internal async Task<T> CallAsync<T>(RemoteMethod method, IReadOnlyList<object?> args, IReadOnlyDictionary<string, object?>? kwargs,
        string? remoteParent, CancellationToken cancellationToken)
    {
        MsgPackValue result = await CallRawAsync(method, args, kwargs, remoteParent, cancellationToken).ConfigureAwait(false);
        try
        {
            return ConvertResult<T>(DecodeArgument(result, SenderWorkspaceOf(method.Target), null));
        }
        finally
        {
            PayloadScope.Release(result);
        }
    }

    /// <summary>The next item of a remote generator, converted as <see cref="CallAsync{T}"/> converts a result; false at its end.</summary>
    internal async Task<(bool HasItem, T Item)> NextItemAsync<T>(RemoteMethod next, CancellationToken cancellationToken)
    {
        MsgPackValue result = await CallRawAsync(next, [], null, null, cancellationToken).ConfigureAwait(false);
        try
        {
            object? item = DecodeArgument(result, SenderWorkspaceOf(next.Target), null);
            return item is StopIteration ? (false, default!) : (true, ConvertResult<T>(item));
        }
        finally
        {
            PayloadScope.Release(result);
        }
    }

    // A call's argument as the function's parameter binding sees it: a payload in shared memory stays a lease, so that
    // a ReadOnlyMemory<byte> or IMemoryOwner<byte> parameter gets it with no copy.
    private object? DecodeArgument(MsgPackValue value, string senderWorkspace, string? remoteParent) =>
        PayloadScope.LeaseOf(value) is { } lease ? lease : Decode(value, senderWorkspace, remoteParent);

    // A result outlives the message it came in, so a view of its bytes is a copy; an owner is a lease of its own.
    private static T ConvertResult<T>(object? value) =>
        value is SharedMemoryLease lease && (typeof(T) == typeof(ReadOnlyMemory<byte>) || typeof(T) == typeof(Memory<byte>))
            ? ValueConverter.ConvertTo<T>(lease.Memory.ToArray())
            : ValueConverter.ConvertTo<T>(value);

    // Large binary values go by reference when the connection can: the head keeps a placeholder for each, and
    // travels as a hypha frame (a SHM_REF message's head is msgpack, docs/wire-format.md §9).
    private bool TrySendShared(RpcMethodV4 message, MsgPackValue[] args)
    {
        if (LargePayloads is not { SharedMemoryThreshold: > 0 } transport
            || !FrameAttachments.TryLift(args, transport.SharedMemoryThreshold, out MsgPackValue head, out IReadOnlyList<ReadOnlyMemory<byte>> payloads))
        {
            return false;
        }

        message.Args = RawMsgPack.From(head);
        using var buffer = new PooledBufferWriter();
        RpcMessages.WriteFrame(buffer, message);
        return transport.TrySendShared(buffer.WrittenMemory, payloads);
    }

    // An args array a typed proxy or dispatcher wrote with placeholders: the same SHM_REF message.
    private bool TrySendShared(RpcMethodV4 message, ReadOnlyMemory<byte> args, IReadOnlyList<ReadOnlyMemory<byte>> payloads)
    {
        if (LargePayloads is not { SharedMemoryThreshold: > 0 } transport)
        {
            return false;
        }

        message.Args = RawMsgPack.Create(args);
        using var buffer = new PooledBufferWriter();
        RpcMessages.WriteFrame(buffer, message);
        return transport.TrySendShared(buffer.WrittenMemory, payloads);
    }

    // The answer a resolve completes, if one of this peer's calls still waits for it.
    private PendingAnswer? WaitingAnswerOf(RpcMethodV4 message) =>
        message.Method is { } method && method.EndsWith("." + HyphaKeys.Resolve, StringComparison.Ordinal)
        && _sessions.TryGetValue(method[..method.IndexOf('.')], out RpcSession? session)
            ? session.Pending
            : null;

    // A call whose payloads cannot be read fails with the reason: the caller of a call we serve gets it as the error,
    // and a call of ours whose result it was fails with it.
    private void FailUnreadable(RpcMethodV4 message, Reply reply, Exception error)
    {
        var failure = new RemoteException($"The message's data in shared memory could not be read: {error.Message}");
        string method = message.Method ?? string.Empty;
        int dot = method.IndexOf('.');
        if (dot > 0 && !method.StartsWith(ServicesPrefix, StringComparison.Ordinal) && _sessions.TryGetValue(method[..dot], out RpcSession? session)
            && session.TargetId == message.From && method[(dot + 1)..] is HyphaKeys.Resolve or HyphaKeys.Reject)
        {
            Fail(session, failure);
            return;
        }

        reply.Fail(failure);
    }

    private static Exception? Open(IReadOnlyList<SharedMemoryLease> payloads)
    {
        try
        {
            foreach (SharedMemoryLease payload in payloads)
            {
                payload.Open();
            }

            return null;
        }
        catch (SharedMemoryException ex)
        {
            return ex;
        }
    }

    private static ReadOnlyMemory<byte>[] MemoriesOf(IReadOnlyList<SharedMemoryLease> payloads)
    {
        var memories = new ReadOnlyMemory<byte>[payloads.Count];
        for (int i = 0; i < memories.Length; i++)
        {
            memories[i] = payloads[i].Memory;
        }

        return memories;
    }

    private async ValueTask HandleEventAsync(ReadOnlyMemory<byte> head, IReadOnlyList<SharedMemoryLease> payloads, PayloadScope scope)
    {
        try
        {
            await HandleFrameAsync(FrameAttachments.Splice(head, MemoriesOf(payloads))).ConfigureAwait(false);
        }
        finally
        {
            scope.Dispose();
        }
    }

    private ValueTask DropAsync(PayloadScope scope, Exception error)
    {
        scope.Dispose();
        Options.Log?.Invoke($"Dropped an event whose data in shared memory could not be read: {error.Message}");
        return ValueTask.CompletedTask;
    }
}
