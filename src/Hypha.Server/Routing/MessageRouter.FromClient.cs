using Hypha.Protocol.Messages;
using Hypha.Protocol.MsgPack;
using Hypha.Protocol.Native;
using Hypha.Protocol.Schemas;
using Hypha.Server.Connections;

namespace Hypha.Server.Routing;

internal sealed partial class MessageRouter
{
    /// <summary>
    /// Routes one binary frame a client sent: decodes <c>main</c> only, makes <c>to</c> absolute, stamps
    /// <c>from</c>, <c>ws</c> and <c>user</c> with the sender's identity (whatever the client put there), and forwards
    /// the rewritten <c>main</c> with the original <c>extra</c> bytes, on the channel it arrived on (a native target
    /// writes it there; a WebSocket sender passes <see cref="NativeChannel.Rpc"/>).
    /// </summary>
    /// <returns>
    /// False when the frame is not a hypha message (undecodable <c>main</c>, or no <c>to</c>): it is dropped, and
    /// nobody else is affected. No reject can be sent for it: a reject must come from the target the caller named.
    /// </returns>
    /// <remarks>
    /// <paramref name="bytes"/> are the router's from now on: a message read from them keeps slices of them, and may
    /// outlive this call (queued for a target, served by the manager). <paramref name="payloads"/> are what a native
    /// sender's frame referenced in shared memory; the router lets go of them once the frame is delivered (a target that
    /// takes the references holds its own).
    /// </remarks>
    public async ValueTask<bool> RouteFromClientAsync(ClientConnection sender, ReadOnlyMemory<byte> bytes, NativeChannel channel,
        IReadOnlyList<Hypha.Transport.SharedMemory.SharedMemoryLease>? payloads = null)
    {
        try
        {
            return await RouteAsync(sender, bytes, channel, payloads).ConfigureAwait(false);
        }
        finally
        {
            if (payloads is not null)
            {
                foreach (Hypha.Transport.SharedMemory.SharedMemoryLease payload in payloads)
                {
                    payload.Dispose();
                }
            }
        }
    }

    /// <summary>
    /// Routes one binary frame a client sent, as <see cref="RouteFromClientAsync"/>, from bytes that are only lent until
    /// the returned task completes (a WebSocket's receive buffer). A message of <c>rpc_method_v4</c>'s shape copies the
    /// few values it forwards unchanged (args, data, promise, heartbeat interval) and gets the sender's user stamped
    /// as usual; any other frame is copied whole.
    /// </summary>
    public ValueTask<bool> RouteLentFromClientAsync(ClientConnection sender, ReadOnlyMemory<byte> bytes, NativeChannel channel) =>
        RouteAsync(sender, bytes, channel, payloads: null, lent: true);

    // lent: the bytes are valid only until the returned task completes, and whatever is kept is copied out of them.
    private async ValueTask<bool> RouteAsync(ClientConnection sender, ReadOnlyMemory<byte> bytes, NativeChannel channel,
        IReadOnlyList<Hypha.Transport.SharedMemory.SharedMemoryLease>? payloads, bool lent = false)
    {
        HyphaFrame? frame = null;
        RpcMethodV4? message;
        try
        {
            if (payloads is null && TryForwardStamped(sender, bytes, channel) is { } forwarded)
            {
                return await forwarded.ConfigureAwait(false);
            }

            // A frame of rpc_method_v4's shape (every call and answer) is routed as the message: its stamped fields
            // are set, not re-encoded from maps, the user map goes as the bytes encoded once per client, and a native
            // target that agreed the binary form gets the message without reading the frame again. Frames with
            // payloads in shared memory, and events with keys of their own, go through the maps below. The message
            // and the maps keep slices of `bytes` (its args, `extra`): lent bytes give the message copies of its few
            // values, and the maps a copy of the frame.
            message = payloads is null ? RpcMessages.TryRead(bytes, HyphaFrame.DefaultReaderOptions) : null;
            if (message is null)
            {
                frame = HyphaFrame.Decode(lent ? bytes.ToArray() : bytes);
            }
            else if (lent)
            {
                RpcMessages.DetachValues(message);
                message.User = null; // what the client put there is never forwarded: routing stamps the sender's own
            }
        }
        catch (Exception ex) when (ex is MsgPackException or HyphaProtocolException)
        {
            Log.InvalidFrame(_logger, sender.Address, ex.Message);
            return false;
        }

        if (message is not null)
        {
            return await RouteMessageFromClientAsync(sender, RoutedMessage.FromMessage(message), channel).ConfigureAwait(false) != RouteResult.Invalid;
        }

        string? to = frame!.Envelope.To;
        if (to is null)
        {
            Log.InvalidFrame(_logger, sender.Address, "the message has no 'to'");
            return false;
        }

        if (TryTakeChunkAnswer(frame.Envelope.Method, frame, static frame => new HyphaCall(frame.DecodeExtra() ?? [])))
        {
            return true;
        }

        ConnectedClient client = sender.Client;
        string target = Addresses.Normalize(to, client.Workspace);
        HyphaEnvelope envelope = frame.Envelope;
        MsgPackMap main = frame.Main;
        main.Set(HyphaKeys.To, target);
        main.Set(HyphaKeys.From, client.Address);
        main.Set(HyphaKeys.Workspace, client.Workspace);
        main.Set(HyphaKeys.User, client.User);

        TrackCall(sender, target, envelope.Session, envelope.Parent, envelope.Method);
        if (envelope.Method == ChunkProcessMethod)
        {
            ForgetAnsweredInChunks(client.Address, target, new HyphaCall(frame.DecodeExtra() ?? []));
        }

        RoutedMessage output = RoutedMessage.FromFrame(FrameEncoder.Encode(main, frame.ExtraBytes.Span));
        await DeliverAsync(new Delivery(output, channel, target, envelope.Type, envelope.Session, sender, client.Workspace, payloads)).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// Routes one message a native client sent in the binary form, decoded: as <see cref="RouteFromClientAsync"/>
    /// routes a frame (absolute <c>to</c>; <c>from</c>, <c>ws</c> and <c>user</c> stamped with the sender's
    /// identity), without a frame being written unless a target needs one.
    /// </summary>
    /// <returns>
    /// <see cref="RouteResult.Invalid"/> when the message has no <c>to</c>: it is dropped. Otherwise whether anything
    /// still holds <paramref name="routed"/> once the task completes: every client target has read it by then (a
    /// native one encoded it, a WebSocket one wrote its frame), so only the manager, which serves it, keeps it.
    /// </returns>
    public async ValueTask<RouteResult> RouteMessageFromClientAsync(ClientConnection sender, RoutedMessage routed, NativeChannel channel)
    {
        ArgumentNullException.ThrowIfNull(sender);
        ArgumentNullException.ThrowIfNull(routed);
        RpcMethodV4 message = routed.Message ?? throw new ArgumentException("A decoded message is routed with its message.", nameof(routed));
        if (message.To is null && message.Type == HyphaKeys.RefreshToken)
        {
            await sender.SendReconnectionTokenAsync().ConfigureAwait(false);
            return RouteResult.Done;
        }

        if (message.To is not { } to)
        {
            Log.InvalidFrame(_logger, sender.Address, "the message has no 'to'");
            return RouteResult.Invalid;
        }

        if (TryTakeChunkAnswer(message.Method, message, static message => RpcMessages.CallOf(message, HyphaFrame.DefaultReaderOptions)))
        {
            return RouteResult.Done;
        }

        ConnectedClient client = sender.Client;
        string target = Addresses.Normalize(to, client.Workspace);
        message.To = target;
        message.From = client.Address;
        message.Ws = client.Workspace;
        message.User = client.EncodedUser;
        TrackCall(sender, target, message.Session, message.Parent, message.Method);
        if (message.Method == ChunkProcessMethod)
        {
            ForgetAnsweredInChunks(client.Address, target, RpcMessages.CallOf(message, HyphaFrame.DefaultReaderOptions));
        }

        bool kept = await DeliverAsync(new Delivery(routed, channel, target, message.Type, message.Session, sender, client.Workspace))
            .ConfigureAwait(false);
        return kept ? RouteResult.Kept : RouteResult.Done;
    }
}
