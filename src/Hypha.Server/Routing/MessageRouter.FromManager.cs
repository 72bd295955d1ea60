using Hypha.Protocol.Messages;
using Hypha.Protocol.MsgPack;
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
    /// <exception cref="MsgPackException">The frame's <c>main</c> is not valid msgpack.</exception>
    /// <exception cref="HyphaProtocolException">The frame is not a hypha message.</exception>
    /// <exception cref="ArgumentException"><c>to</c> is missing or not absolute.</exception>
    public async ValueTask SendFromManagerAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        HyphaFrame decoded = HyphaFrame.Decode(frame);
        HyphaEnvelope envelope = decoded.Envelope;
        string to = envelope.To ?? throw new ArgumentException("A frame from the manager needs a 'to'.", nameof(frame));
        if (!Addresses.TrySplit(to, out string workspace, out _))
        {
            throw new ArgumentException($"A frame from the manager needs an absolute 'to', not '{to}'.", nameof(frame));
        }

        MsgPackMap main = decoded.Main;
        main.Set(HyphaKeys.From, ManagerAddress);
        if (envelope.Workspace is null)
        {
            main.Set(HyphaKeys.Workspace, workspace);
        }

        if (envelope.User is null)
        {
            main.Set(HyphaKeys.User, _serverUser);
        }

        ReadOnlyMemory<byte> output = FrameEncoder.Encode(main, decoded.ExtraBytes.Span);
        await DeliverAsync(new Delivery(output, NativeChannel.Rpc, to, envelope.Type, envelope.Session, Sender: null, SenderWorkspace: null))
            .ConfigureAwait(false);
    }
}
