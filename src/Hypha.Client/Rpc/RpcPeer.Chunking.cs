using System.Buffers;
using System.Collections.Concurrent;
using Hypha.Client.Services;
using Hypha.Protocol.Buffers;
using Hypha.Protocol.Messages;
using Hypha.Protocol.Native;
using Hypha.Protocol.MsgPack;
using Hypha.Protocol.Objects;
using Hypha.Protocol.Schemas;

namespace Hypha.Client.Rpc;

public sealed partial class RpcPeer
{
    private readonly ConcurrentDictionary<string, ChunkedMessage> _messageCache = new(StringComparer.Ordinal);

    // Room for everything of a frame but its arguments: routing strings (at most 3 UTF-8 bytes per char), keys,
    // the promise. A message whose arguments leave less room than this is measured exactly.
    private const int EnvelopeAllowance = 1024;

    // Room for the routing fields an assembled message gets stamped with, over what its sender wrote.
    private const int StampedFieldsMargin = 64 * 1024;

    // How much of a chunked message is read for its main: a main is a few hundred bytes (routing fields, the user).
    private const int MainHeadBytes = 64 * 1024;

    /// <summary>
    /// Sends one message with its arguments: its large payloads by reference in shared memory when the connection
    /// can; whole when it fits what the connection carries whole (<see cref="ILargePayloadTransport.MaxWholeMessage"/>,
    /// at least the chunk size plus 1 KiB); otherwise through the target's <c>message_cache</c> (create, up to
    /// <see cref="RpcPeerOptions.ChunksInFlight"/> concurrent <c>set</c> calls, process): Python peers cannot receive
    /// frames much above 512 KiB.
    /// </summary>
    /// <remarks>
    /// <paramref name="message"/> is this method's from now on: once sent, it is cleared and reused for a later call
    /// (a failed send leaves it to the collector).
    /// </remarks>
    private async Task SendMessageAsync(RpcMethodV4 message, OutgoingArguments args, string target, string? remoteParent, NativeChannel channel,
        CancellationToken cancellationToken)
    {
        await SendWholeOrInPartsAsync(message, args, target, remoteParent, channel, cancellationToken).ConfigureAwait(false);
        Reuse(message);
    }

    private async Task SendWholeOrInPartsAsync(RpcMethodV4 message, OutgoingArguments args, string target, string? remoteParent, NativeChannel channel,
        CancellationToken cancellationToken)
    {
        if (args.Values is { } values && TrySendShared(message, values))
        {
            return;
        }

        if (args.Values is null && args.Attachments is { Count: > 0 } attachments && TrySendShared(message, args.Encoded, attachments))
        {
            return;
        }

        PooledBufferWriter? encodedArgs = args.Encode();
        try
        {
            message.Args = RawMsgPack.Create(encodedArgs?.WrittenMemory ?? args.Encoded);
            int argsLength = message.Args.Value.Bytes.Length;
            if (argsLength + EnvelopeAllowance <= MaxWholeMessage)
            {
                await _send(message, channel, cancellationToken).ConfigureAwait(false);
                return;
            }

            using var frame = new PooledBufferWriter(argsLength + EnvelopeAllowance);
            RpcMessages.WriteFrame(frame, message);
            if (frame.WrittenCount <= MaxWholeMessage)
            {
                await _send(message, channel, cancellationToken).ConfigureAwait(false);
                return;
            }

            await SendChunkedAsync(frame.WrittenMemory, target, remoteParent, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            encodedArgs?.GiveBack();
        }
    }

    private async Task SendChunkedAsync(ReadOnlyMemory<byte> message, string target, string? remoteParent, CancellationToken cancellationToken)
    {
        // Keyed by the receiver's session when there is one, so that every chunk also renews that session's timeout.
        string key = remoteParent ?? RandomIds.New();
        bool heartbeat = remoteParent is not null;
        RemoteMethod Cache(string operation) =>
            RemoteMethod.Create(target, $"services.built-in.message_cache.{operation}", RemotePromiseMode.Compact);

        await CallRawAsync(Cache("create"), [key, heartbeat], null, null, cancellationToken).ConfigureAwait(false);
        try
        {
            int count = (message.Length + Options.ChunkSize - 1) / Options.ChunkSize;
            using var inFlight = new SemaphoreSlim(Options.ChunksInFlight);
            var chunks = new Task[count];
            for (int index = 0; index < count; index++)
            {
                await inFlight.WaitAsync(cancellationToken).ConfigureAwait(false);
                ReadOnlyMemory<byte> chunk = message.Slice(index * Options.ChunkSize, Math.Min(Options.ChunkSize, message.Length - (index * Options.ChunkSize)));
                chunks[index] = SendChunkAsync(Cache("set"), key, index, chunk, heartbeat, inFlight, cancellationToken);
            }

            await Task.WhenAll(chunks).ConfigureAwait(false);
            await CallRawAsync(Cache("process"), [key, heartbeat], null, null, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await TryCallAsync(Cache("remove"), key).ConfigureAwait(false);
            throw;
        }
    }

    private async Task SendChunkAsync(RemoteMethod set, string key, int index, ReadOnlyMemory<byte> chunk, bool heartbeat,
        SemaphoreSlim inFlight, CancellationToken cancellationToken)
    {
        try
        {
            await CallRawAsync(set, [key, index, chunk, heartbeat], null, null, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            inFlight.Release();
        }
    }

    private void AddMessageCacheFunctions(ServiceBuilder builtIn) => builtIn
        .Add("message_cache.create", (string key, bool heartbeat = false, bool overwrite = false, RpcContext? context = null) =>
        {
            string slot = Slot(context!, key);
            if (_messageCache.Count >= Options.MaxPendingChunkedMessages)
            {
                throw new InvalidOperationException($"Too many chunked messages in progress (limit {Options.MaxPendingChunkedMessages}).");
            }

            var message = new ChunkedMessage(Options.MaxMessageBytes);
            if (overwrite)
            {
                _messageCache[slot] = message;
            }
            else if (!_messageCache.TryAdd(slot, message))
            {
                throw new InvalidOperationException($"Message with the same key ({key}) already exists in the cache.");
            }

            RenewIfSession(key, heartbeat);
        })
        .Add("message_cache.append", (string key, byte[] data, bool heartbeat = false, RpcContext? context = null) =>
        {
            Cached(context!, key).Append(data);
            RenewIfSession(key, heartbeat);
        })
        .Add("message_cache.set", (string key, int index, byte[] data, bool heartbeat = false, RpcContext? context = null) =>
        {
            Cached(context!, key).Set(index, data);
            RenewIfSession(key, heartbeat);
        })
        .Add("message_cache.remove", (string key, RpcContext? context = null) => { _messageCache.TryRemove(Slot(context!, key), out _); })
        .Add("message_cache.process", async (string key, bool heartbeat = false, RpcContext? context = null) =>
        {
            if (!_messageCache.TryRemove(Slot(context!, key), out ChunkedMessage? message))
            {
                throw new KeyNotFoundException($"Message with key {key} does not exist.");
            }

            RenewIfSession(key, heartbeat);

            // Joining and decoding a message of many megabytes takes milliseconds: off the receive path, so the
            // connection's other messages (small calls above all) are not held up behind it.
            await Task.Yield();
            HyphaFrame frame = DecodeMain(message);

            // The assembled main is what the sender wrote; the routing fields that count are those the server
            // stamped on the process call itself.
            MsgPackMap main = frame.Main.Clone();
            main.Set(HyphaKeys.From, context!.From);
            main.Set(HyphaKeys.To, context.To);
            main.Set(HyphaKeys.Workspace, context.Workspace);
            main.Set(HyphaKeys.User, context.User);
            // Written once into an array of its own that the call keeps (its arguments are slices of it): a pooled
            // buffer would have to be copied out again, and the pool rounds a large size up to the next power of two.
            // The margin holds the stamped fields (the user's info above all), so that the array never has to grow.
            // The rest of the message goes from the chunks straight into it: never joined on its own first.
            var rebuilt = new ArrayBufferWriter<byte>((int)Math.Min(message.Length + StampedFieldsMargin, Array.MaxLength));
            HyphaFrame.Write(rebuilt, main, ReadOnlySpan<byte>.Empty);
            message.CopyTo(rebuilt, frame.MainLength);
            await HandleFrameAsync(rebuilt.WrittenMemory).ConfigureAwait(false);
        });

    // The frame's main, read from the message's first bytes (its extra, the bulk of it, is not looked at here). A main
    // longer than that head, which only an unusually large map makes, is read from the whole message.
    private HyphaFrame DecodeMain(ChunkedMessage message)
    {
        try
        {
            return HyphaFrame.Decode(message.Head(MainHeadBytes), _readerOptions);
        }
        catch (MsgPackException) when (message.Length > MainHeadBytes)
        {
            return HyphaFrame.Decode(message.Head(int.MaxValue), _readerOptions);
        }
    }

    // Each sender has its own keys: one peer can neither read nor spoil another's chunks.
    private static string Slot(RpcContext context, string key) => $"{context.From}|{key}";

    private ChunkedMessage Cached(RpcContext context, string key) =>
        _messageCache.GetValueOrDefault(Slot(context, key)) ?? throw new KeyNotFoundException($"Message with key {key} does not exist.");

    private void RenewIfSession(string key, bool heartbeat)
    {
        if (heartbeat && _sessions.TryGetValue(key, out RpcSession? session))
        {
            session.RenewTimeout();
        }
    }

    private void SweepMessageCache()
    {
        long limit = (long)Options.IdleLifetime.TotalMilliseconds;
        foreach (KeyValuePair<string, ChunkedMessage> entry in _messageCache)
        {
            if (entry.Value.AgeMilliseconds > limit)
            {
                _messageCache.TryRemove(entry.Key, out _);
            }
        }
    }
}
