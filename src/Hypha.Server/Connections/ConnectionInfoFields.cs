using Hypha.Protocol.MsgPack;

namespace Hypha.Server.Connections;

/// <summary>What goes into a <c>connection_info</c> frame.</summary>
internal sealed record ConnectionInfoFields(
    string HyphaVersion,
    string PublicBaseUrl,
    string LocalBaseUrl,
    string ManagerId,
    string Workspace,
    string ClientId,
    MsgPackMap User,
    string ReconnectionToken,
    TimeSpan ReconnectionTokenLifetime)
{
    /// <summary>The fields as the map a native HelloAck carries: the keys of the JSON message, without its type.</summary>
    public MsgPackMap ToMap() => new()
    {
        { "hypha_version", HyphaVersion },
        { "public_base_url", PublicBaseUrl },
        { "local_base_url", LocalBaseUrl },
        { "manager_id", ManagerId },
        { "workspace", Workspace },
        { "client_id", ClientId },
        { "user", User },
        { "reconnection_token", ReconnectionToken },
        { "reconnection_token_life_time", (long)ReconnectionTokenLifetime.TotalSeconds },
    };

    /// <summary>
    /// The fields for a connection whose client was just authenticated, with a fresh reconnection token. Every kind
    /// of handshake tells its client the same: a WebSocket in the <c>connection_info</c> frame, a native peer in its
    /// HelloAck.
    /// </summary>
    public static ConnectionInfoFields For(ClientConnection connection, ConnectionServices services)
    {
        HyphaServerOptions options = services.Options;
        return new ConnectionInfoFields(
            options.HyphaVersion,
            options.PublicBaseUrl!,
            HyphaServer.LocalBaseUrl(options),
            services.Router.Manager.ManagerId,
            connection.Client.Workspace,
            connection.Client.ClientId,
            connection.Client.User,
            connection.NewReconnectionToken(),
            options.ReconnectionTokenLifetime);
    }
}
