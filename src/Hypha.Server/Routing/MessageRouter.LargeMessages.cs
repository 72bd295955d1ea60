using System.Collections.Concurrent;
using Hypha.Protocol.Messages;
using Hypha.Protocol.MsgPack;
using Hypha.Protocol.Native;
using Hypha.Protocol.Objects;
using Hypha.Server.Connections;
using Hypha.Transport.SharedMemory;

namespace Hypha.Server.Routing;

/// <summary>
/// Messages too large for their target to take whole, and messages whose payloads came by reference in shared memory
/// (docs/native-mode.md, "Shared memory"). A native target on the same host gets the very references, passed on
/// without a copy: the payloads go back to their sender once the target releases them. Any other target gets the bytes
/// copied into the message; and a message larger than its target takes whole (a hypha WebSocket peer: the chunk size
/// plus 1 KiB) is sent through the target's <c>message_cache</c>, in chunk calls the server makes in the sender's
/// name, as hypha-rpc senders chunk (hypha-protocol.md §3.1). The target answers those calls to the sender; the server
/// takes the answers, so the sender never sees them.
/// </summary>
internal sealed partial class MessageRouter
{
    private const string ChunkSessionPrefix = "hypha-server-chunk-";
    private const int ChunkSize = 256 * 1024;
    private const int ChunksInFlight = 16;
    private static readonly TimeSpan ChunkCallTimeout = TimeSpan.FromSeconds(60);

    private readonly ConcurrentDictionary<string, TaskCompletionSource> _chunkCalls = new(StringComparer.Ordinal);

    // True when the message answered one of the server's own chunk calls: it stops here. Its call is read from the
    // message only for a reject; the message comes as state, not captured by a lambda, which would cost every routed
    // message a closure.
    private bool TryTakeChunkAnswer<TMessage>(string? method, TMessage message, Func<TMessage, HyphaCall> call)
    {
        if (method is null || !method.StartsWith(ChunkSessionPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        int dot = method.LastIndexOf('.');
        if (dot < 0 || !_chunkCalls.TryRemove(method[..dot], out TaskCompletionSource? pending))
        {
            return method.EndsWith($".{HyphaKeys.Heartbeat}", StringComparison.Ordinal);
        }

        if (method[(dot + 1)..] == HyphaKeys.Reject)
        {
            MsgPackValue error = call(message).Args is [var first, ..] ? first : default;
            pending.TrySetException(new InvalidOperationException(HyphaObject.Decode(error) is RemoteError remote ? remote.Message : "rejected"));
        }
        else
        {
            pending.TrySetResult();
        }

        return true;
    }

    // Delivers to one client what is too large, or came by reference. True when it was handled (delivered, started in
    // chunks, or refused with a reject); false when the target is plainly gone.
    private async ValueTask<bool> TryDeliverLargeAsync(ClientConnection receiver, Delivery delivery)
    {
        ReadOnlyMemory<byte> frame = delivery.Message.Frame;
        if (delivery.Payloads is { } payloads)
        {
            if (receiver.TrySendShared(frame, payloads))
            {
                return true;
            }

            if (!TrySplice(delivery, out frame))
            {
                await RejectAsync(delivery, $"The message's data in shared memory could not be read for {delivery.Target}").ConfigureAwait(false);
                return true;
            }
        }

        if (frame.Length <= receiver.MaxWholeMessage)
        {
            return await receiver.SendAsync(OutboundFrame.Binary(frame, delivery.Channel)).ConfigureAwait(false);
        }

        _ = SendChunkedAsync(receiver, frame, delivery);
        return true;
    }

    // The whole frame a head and its payloads stand for, copied: for targets that cannot take references.
    private bool TrySplice(Delivery delivery, out ReadOnlyMemory<byte> frame)
    {
        try
        {
            foreach (SharedMemoryLease payload in delivery.Payloads!)
            {
                payload.Open();
            }

            frame = FrameAttachments.Splice(delivery.Message.Frame, delivery.Payloads!.Select(p => (ReadOnlyMemory<byte>)p.Memory).ToArray());
            return true;
        }
        catch (Exception ex) when (ex is SharedMemoryException or HyphaProtocolException or MsgPackException)
        {
            Log.InvalidFrame(_logger, SenderAddress(delivery), ex.Message);
            frame = default;
            return false;
        }
    }

    // create, set × n (a window of them in flight), process: as a hypha-rpc sender would, in the sender's name. A
    // failure removes what was sent and rejects the sender's call, if it waits for an answer.
    private async Task SendChunkedAsync(ClientConnection receiver, ReadOnlyMemory<byte> frame, Delivery delivery)
    {
        HyphaFrame decoded = HyphaFrame.Decode(frame);
        string key = decoded.Envelope.Parent ?? $"{ChunkSessionPrefix}{Guid.NewGuid():N}";
        bool heartbeat = decoded.Envelope.Parent is not null;
        try
        {
            await ChunkCallAsync(receiver, delivery, "create", [key, heartbeat]).ConfigureAwait(false);
            using var inFlight = new SemaphoreSlim(ChunksInFlight);
            var chunks = new List<Task>();
            for (int index = 0, offset = 0; offset < frame.Length; index++, offset += ChunkSize)
            {
                await inFlight.WaitAsync(_stopping).ConfigureAwait(false);
                ReadOnlyMemory<byte> chunk = frame.Slice(offset, Math.Min(ChunkSize, frame.Length - offset));
                chunks.Add(SendChunkAsync(receiver, delivery, [key, index, chunk, heartbeat], inFlight));
            }

            await Task.WhenAll(chunks).ConfigureAwait(false);
            await ChunkCallAsync(receiver, delivery, "process", [key, heartbeat]).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or OperationCanceledException)
        {
            Log.Dropped(_logger, SenderAddress(delivery), delivery.Target);
            await ChunkCallAsync(receiver, delivery, "remove", [key], expectAnswer: false).ConfigureAwait(false);
            await RejectAsync(delivery, $"The message could not be delivered in chunks to {delivery.Target}: {ex.Message}").ConfigureAwait(false);
        }
    }

    private async Task SendChunkAsync(ClientConnection receiver, Delivery delivery, MsgPackValue[] args, SemaphoreSlim inFlight)
    {
        try
        {
            await ChunkCallAsync(receiver, delivery, "set", args).ConfigureAwait(false);
        }
        finally
        {
            inFlight.Release();
        }
    }

    // One call of the target's built-in message_cache, stamped as the sender's own (process takes from, ws and user
    // from its call's context), answered to the sender and taken here on the way.
    private async Task ChunkCallAsync(ClientConnection receiver, Delivery delivery, string operation, MsgPackValue[] args, bool expectAnswer = true)
    {
        string? session = expectAnswer ? $"{ChunkSessionPrefix}{Guid.NewGuid():N}" : null;
        string from = SenderAddress(delivery);
        MsgPackMap main = HyphaEnvelope.CreateCall(from, delivery.Target, $"services.built-in.message_cache.{operation}", session).Main;
        main.Set(HyphaKeys.Workspace, delivery.Sender?.Client.Workspace ?? "*");
        main.Set(HyphaKeys.User, delivery.Sender?.Client.User ?? _serverUser);
        var output = new System.Buffers.ArrayBufferWriter<byte>();
        HyphaFrame.Write(output, main, HyphaCall.Create(args, null, expectAnswer ? new CompactPromise(ChunkCallTimeout.TotalSeconds / 2) : null).Extra);
        TaskCompletionSource? answered = null;
        if (session is not null)
        {
            answered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _chunkCalls[session] = answered;
        }

        try
        {
            if (!await receiver.SendAsync(OutboundFrame.Binary(output.WrittenMemory, NativeChannel.Bulk)).ConfigureAwait(false))
            {
                throw new InvalidOperationException($"{delivery.Target} is not connected");
            }

            if (answered is not null)
            {
                await answered.Task.WaitAsync(ChunkCallTimeout, _stopping).ConfigureAwait(false);
            }
        }
        finally
        {
            if (session is not null)
            {
                _chunkCalls.TryRemove(session, out _);
            }
        }
    }
}
