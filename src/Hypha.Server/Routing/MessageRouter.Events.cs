using Hypha.Protocol.Messages;
using Hypha.Protocol.MsgPack;
using Hypha.Protocol.Native;
using Hypha.Server.Connections;

namespace Hypha.Server.Routing;

internal sealed partial class MessageRouter
{
    private const string DataKey = "data";

    /// <inheritdoc />
    /// <remarks>The event is one msgpack map, <c>{type, to:"*", data}</c>, with no <c>from</c>, as the real server sends it.</remarks>
    public async ValueTask PublishEventAsync(string workspace, string eventType, MsgPackMap data)
    {
        ArgumentException.ThrowIfNullOrEmpty(workspace);
        ArgumentException.ThrowIfNullOrEmpty(eventType);
        ArgumentNullException.ThrowIfNull(data);
        var main = new MsgPackMap(3)
        {
            { HyphaKeys.Type, eventType },
            { HyphaKeys.To, Addresses.Broadcast },
            { DataKey, data },
        };
        ReadOnlyMemory<byte> frame = ((MsgPackValue)main).ToBytes();
        await BroadcastAsync(workspace, eventType, OutboundFrame.Message(RoutedMessage.FromFrame(frame), NativeChannel.Rpc)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>A client that is no longer connected (or was replaced by a reconnection) is ignored.</remarks>
    public void Subscribe(ConnectedClient client, IEnumerable<string> eventTypes)
    {
        ArgumentNullException.ThrowIfNull(eventTypes);
        FindConnection(client)?.Subscribe(eventTypes);
    }

    /// <inheritdoc />
    public void Unsubscribe(ConnectedClient client, IEnumerable<string> eventTypes)
    {
        ArgumentNullException.ThrowIfNull(eventTypes);
        FindConnection(client)?.Unsubscribe(eventTypes);
    }
}
