using System.Buffers;
using Hypha.Protocol.Messages;
using Hypha.Protocol.MsgPack;
using Hypha.Protocol.Native;
using Hypha.Server.Connections;

namespace Hypha.Server.Routing;

internal sealed partial class MessageRouter
{
    // Frames up to this size are forwarded stamped; any WebSocket client takes them whole (MaxWholeMessage).
    private const int StampedLimit = 64 * 1024;

    private static readonly byte[] ChunkSessionPrefixUtf8 = System.Text.Encoding.UTF8.GetBytes(ChunkSessionPrefix);

    /// <summary>
    /// Forwards a frame from one client to one WebSocket client as its bytes with the sender's stamp
    /// (<see cref="StampedFrame"/>), written straight into an array rented for the target's queue: no message object,
    /// no string per field, nothing left for the collector but the pending call's entry. Null when the frame goes the
    /// general way: too large, not a frame this path reads, for the manager, a broadcast, a native client, a chunk
    /// answer, the process call of a chunked message (which may settle a pending call), or an address nobody holds
    /// (whose reject the general path sends).
    /// </summary>
    /// <exception cref="MsgPackException">The frame is not well-formed msgpack.</exception>
    private ValueTask<bool>? TryForwardStamped(ClientConnection sender, ReadOnlyMemory<byte> bytes, NativeChannel channel)
    {
        if (bytes.Length > StampedLimit || !StampedFrame.TryRead(bytes, HyphaFrame.DefaultReaderOptions, out StampedFrame frame))
        {
            return null;
        }

        ConnectedClient client = sender.Client;
        string target = Addresses.Normalize(frame.To, client.Workspace);
        ReadOnlySpan<byte> span = bytes.Span;
        ReadOnlySpan<byte> method = frame.MethodOf(span);
        if (target == ManagerAddress || Addresses.IsBroadcast(target) || method.StartsWith(ChunkSessionPrefixUtf8)
            || method.SequenceEqual(ChunkProcessMethodUtf8) || _registry.Find(target) is not WebSocketClientConnection receiver)
        {
            return null;
        }

        byte[] stamp = client.Stamp;
        byte[] rented = ArrayPool<byte>.Shared.Rent(StampedFrame.MaxStampedLength(bytes.Length, stamp.Length, target));
        int length = frame.WriteTo(span, rented, target, stamp);
        string? session = frame.SessionOf(span);
        if (session is not null)
        {
            _pending.Started(target, client.Address, session);
            sender.ForeignCallees.Called(target);
        }
        else if (frame.HasParent && !method.IsEmpty)
        {
            _pending.Answered(client.Address, target, method);
        }

        return SendStampedAsync(receiver, OutboundFrame.Rented(rented, length, channel), target, session, sender);
    }

    private async ValueTask<bool> SendStampedAsync(ClientConnection receiver, OutboundFrame frame, string target, string? session, ClientConnection sender)
    {
        if (!await receiver.SendAsync(frame).ConfigureAwait(false))
        {
            await RejectAsync(target, session, sender, SyntheticReject.NotConnected(target)).ConfigureAwait(false);
        }

        return true;
    }
}
