using Hypha.Protocol.Native;
using Hypha.Server.Connections;

namespace Hypha.Server.Routing;

internal sealed partial class MessageRouter
{
    // Delivers to the manager, a workspace's subscribers or one client. A frame that cannot reach its one target is
    // rejected back to the sender when it expects a result, and dropped otherwise. True when the message is still
    // held once this completes: the manager serves it (calls run on after their message arrived); a client target
    // has read it by then (ClientConnection.SendAsync), and a reject is a message of its own.
    private async ValueTask<bool> DeliverAsync(Delivery delivery)
    {
        bool broadcast = Addresses.IsBroadcast(delivery.Target);
        if (delivery.Payloads is not null && delivery.Target == ManagerAddress || broadcast)
        {
            // The manager and subscribers take whole frames: payloads in shared memory are copied in.
            if (delivery.Payloads is not null)
            {
                if (!TrySplice(delivery, out ReadOnlyMemory<byte> whole))
                {
                    await RejectAsync(delivery, $"The message's data in shared memory could not be read for {delivery.Target}").ConfigureAwait(false);
                    return false;
                }

                delivery = delivery with { Message = RoutedMessage.FromFrame(whole), Payloads = null };
            }
        }

        if (delivery.Target == ManagerAddress)
        {
            await DeliverToManagerAsync(delivery.Message, SenderAddress(delivery)).ConfigureAwait(false);
            return true;
        }

        if (broadcast && Addresses.TrySplit(delivery.Target, out string workspace, out _))
        {
            if (delivery.SenderWorkspace is not null && workspace != delivery.SenderWorkspace)
            {
                Log.BroadcastRefused(_logger, SenderAddress(delivery), workspace);
                await RejectAsync(delivery, $"Cannot broadcast to workspace {workspace}: broadcasts stay in the sender's workspace")
                    .ConfigureAwait(false);
                return false;
            }

            await BroadcastAsync(workspace, delivery.Type, OutboundFrame.Message(delivery.Message, delivery.Channel)).ConfigureAwait(false);
            return false;
        }

        ClientConnection? receiver = _registry.Find(delivery.Target);
        if (receiver is not null && (delivery.Payloads is not null || IsLarge(delivery.Message, receiver)
                ? await TryDeliverLargeAsync(receiver, delivery).ConfigureAwait(false)
                : await receiver.SendAsync(OutboundFrame.Message(delivery.Message, delivery.Channel)).ConfigureAwait(false)))
        {
            return false;
        }

        await RejectAsync(delivery, SyntheticReject.NotConnected(delivery.Target)).ConfigureAwait(false);
        return false;
    }

    // Fans a frame out to the workspace's clients subscribed to its type. Slow subscribers are waited for together,
    // so a broadcast is held up by at most one send timeout however many of them are slow.
    private async ValueTask BroadcastAsync(string workspace, string type, OutboundFrame frame)
    {
        List<Task>? pending = null;
        foreach (ClientConnection subscriber in _registry.InWorkspace(workspace))
        {
            if (!subscriber.IsSubscribed(type))
            {
                continue;
            }

            ValueTask<bool> send = subscriber.SendAsync(frame);
            if (send.IsCompletedSuccessfully)
            {
                _ = send.Result;
            }
            else
            {
                (pending ??= []).Add(send.AsTask());
            }
        }

        if (pending is not null)
        {
            await Task.WhenAll(pending).ConfigureAwait(false);
        }
    }

    private ValueTask RejectAsync(Delivery delivery, string message) => RejectAsync(delivery.Target, delivery.Session, delivery.Sender, message);

    // What a caller hears when its message cannot reach the target: a reject from the target when it waits for a
    // result (a session), nothing otherwise. The sender is null for the manager. The reject is the call's answer: the
    // call is no longer owed (TrackCall recorded it before delivery).
    private async ValueTask RejectAsync(string target, string? session, ClientConnection? sender, string message)
    {
        string senderAddress = sender?.Address ?? ManagerAddress;
        if (session is null)
        {
            Log.Dropped(_logger, senderAddress, target);
            return;
        }

        _pending.Rejected(target, senderAddress, session);

        RoutedMessage reject = RoutedMessage.FromMessage(SyntheticReject.Build(target, senderAddress, session, message));
        if (sender is not null)
        {
            await sender.SendAsync(OutboundFrame.Message(reject, NativeChannel.Rpc)).ConfigureAwait(false);
        }
        else
        {
            await DeliverToManagerAsync(reject, target).ConfigureAwait(false);
        }
    }

    // The manager is trusted code in this process; a failure there is logged and must not end the sender's connection.
    private async ValueTask DeliverToManagerAsync(RoutedMessage routed, string from)
    {
        try
        {
            await (routed.Message is { } message ? Manager.DeliverAsync(message, _stopping) : Manager.DeliverAsync(routed.Frame, _stopping))
                .ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !_stopping.IsCancellationRequested)
        {
            Log.ManagerDeliveryFailed(_logger, ex, from);
        }
    }

    // Whether the message must take the large-message path to this receiver: the estimate decides unless it is close
    // to the receiver's limit, then the frame itself is measured.
    private static bool IsLarge(RoutedMessage message, ClientConnection receiver) =>
        message.EstimatedSize > receiver.MaxWholeMessage - 4096 && message.Frame.Length > receiver.MaxWholeMessage;

    private string SenderAddress(Delivery delivery) => delivery.Sender?.Address ?? ManagerAddress;
}
