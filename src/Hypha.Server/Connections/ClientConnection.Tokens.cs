using Hypha.Protocol.Messages;
using Hypha.Protocol.MsgPack;
using Hypha.Protocol.Native;
using Hypha.Protocol.Schemas;
using Hypha.Server.Auth;
using Hypha.Server.Routing;

namespace Hypha.Server.Connections;

internal abstract partial class ClientConnection
{
    /// <summary>A new reconnection token for this client's user, valid for the server's reconnection token lifetime.</summary>
    public string NewReconnectionToken() =>
        Services.Tokens.Create(User, HyphaTokenKind.Reconnection, Services.Options.ReconnectionTokenLifetime);

    /// <summary>
    /// Answers a <c>refresh_token</c> message (a native client's request; a WebSocket client sends hypha's text form):
    /// a new reconnection token for this client's user, as a <c>reconnection_token</c> event addressed to the client
    /// with no <c>from</c>, which only the server can send (every routed message has its sender stamped there).
    /// </summary>
    public ValueTask<bool> SendReconnectionTokenAsync()
    {
        var data = new MsgPackMap(2)
        {
            { HyphaKeys.ReconnectionToken, NewReconnectionToken() },
            { "reconnection_token_life_time", (long)Services.Options.ReconnectionTokenLifetime.TotalSeconds },
        };
        var message = new RpcMethodV4 { Type = HyphaKeys.ReconnectionToken, To = Address, Data = RawMsgPack.From(data) };
        return SendAsync(OutboundFrame.Message(RoutedMessage.FromMessage(message), NativeChannel.Rpc));
    }
}
