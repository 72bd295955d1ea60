using System.Text.Json;
using Hypha.Protocol.Native;
using Hypha.Transport.SharedMemory;

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

    /// <summary>Sends one frame; <paramref name="channel"/> picks the native channel and is ignored by WebSockets.</summary>
    ValueTask SendAsync(ReadOnlyMemory<byte> frame, NativeChannel channel, CancellationToken cancellationToken);

    /// <summary>Tells the server this client is about to close (native: GoAway), so that it routes no new calls here.</summary>
    void AnnounceClosing();

    /// <summary>Sends a JSON control message (WebSocket only: hypha's text frames).</summary>
    ValueTask SendTextAsync(string json, CancellationToken cancellationToken);

    /// <summary>Delivers messages until the connection ends; returns a description of why it ended.</summary>
    /// <remarks><paramref name="onBinary"/> gets each frame with the payloads it referenced in shared memory, or null.</remarks>
    Task<string> ReceiveAsync(Func<ReadOnlyMemory<byte>, IReadOnlyList<SharedMemoryLease>?, ValueTask> onBinary, Action<JsonElement> onText,
        CancellationToken cancellationToken);
}
