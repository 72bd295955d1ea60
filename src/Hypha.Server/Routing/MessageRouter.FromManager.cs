using Hypha.Protocol.Schemas;
using Hypha.Protocol.Native;

namespace Hypha.Server.Routing;

internal sealed partial class MessageRouter
{
    /// <inheritdoc />
    /// <remarks>
    /// <c>from</c> is always stamped. <c>ws</c> defaults to the target's workspace (as the real server does for the
    /// manager, so a provider's protected-service check passes) and <c>user</c> to the server's root user; a value
    /// the manager set itself is kept. The manager may broadcast to any workspace.
    /// </remarks>
    /// <exception cref="ArgumentException"><c>to</c> is missing or not absolute.</exception>
    public async ValueTask SendFromManagerAsync(RpcMethodV4 message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        cancellationToken.ThrowIfCancellationRequested();
        string to = message.To ?? throw new ArgumentException("A message from the manager needs a 'to'.", nameof(message));
        if (!Addresses.TrySplit(to, out string workspace, out _))
        {
            throw new ArgumentException($"A message from the manager needs an absolute 'to', not '{to}'.", nameof(message));
        }

        message.From = ManagerAddress;
        message.Ws ??= workspace;
        message.User ??= _encodedServerUser;
        await DeliverAsync(new Delivery(RoutedMessage.FromMessage(message), NativeChannel.Rpc, to, message.Type, message.Session, Sender: null, SenderWorkspace: null))
            .ConfigureAwait(false);
    }
}
