using System.Text.Json;
using Hypha.Protocol.Native;
using Hypha.Protocol.Schemas;

namespace Hypha.Client.Connection;

/// <summary>
/// One connection to a server after its handshake, whatever the mode: a hypha WebSocket or a native multiplexed
/// socket. The client's RPC core sends and receives whole hypha frames through it.
/// </summary>
internal interface IServerConnection : IAsyncDisposable
{
    /// <summary>What the server said at the handshake.</summary>
    ConnectionInfo Info { get; }

    /// <summary>True when the client must send hypha's text keep-alive messages (ping, refresh_token) itself.</summary>
    bool NeedsKeepAlive { get; }

    /// <summary>
    /// Sends one message, encoded as the connection agreed: the binary form of <c>rpc_method_v4</c> on a native
    /// connection that agreed it, the hypha frame otherwise. <paramref name="channel"/> picks the native channel and is
    /// ignored by WebSockets.
    /// </summary>
    ValueTask SendAsync(RpcMethodV4 message, NativeChannel channel, CancellationToken cancellationToken);

    /// <summary>Tells the server this client is about to close (native: GoAway), so that it routes no new calls here.</summary>
    void AnnounceClosing();

    /// <summary>Sends a JSON control message (WebSocket only: hypha's text frames).</summary>
    ValueTask SendTextAsync(string json, CancellationToken cancellationToken);

    /// <summary>Delivers messages until the connection ends; returns a description of why it ended.</summary>
    Task<string> ReceiveAsync(Func<ReceivedMessage, ValueTask> onMessage, Action<JsonElement> onText, CancellationToken cancellationToken);
}
