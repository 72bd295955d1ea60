using System.Net.WebSockets;
using Hypha.Server.Auth;
using Hypha.Server.Handshake;
using Hypha.Server.Routing;
using Microsoft.AspNetCore.Http;

namespace Hypha.Server.Connections;

/// <summary>
/// The life of one accepted socket: handshake (hypha-protocol.md 1.2), admission under its address, the manager's
/// connect notice, the connection's loops, and the clean-up that always follows. Admission rules are in
/// <c>Admission</c>.
/// </summary>
internal sealed partial class ConnectionSession
{
    // The legacy (imjoy-rpc) style put credentials in the query; the current protocol refuses it.
    private static readonly string[] LegacyQueryKeys = ["workspace", "client_id", "token", "reconnection_token"];

    private readonly ConnectionServices _services;
    private readonly Authenticator _authenticator;
    private readonly ClientRegistry _registry;

    /// <summary>Creates the session runner shared by every connection of a server.</summary>
    public ConnectionSession(ConnectionServices services, Authenticator authenticator, ClientRegistry registry)
    {
        _services = services;
        _authenticator = authenticator;
        _registry = registry;
    }

    private MessageRouter Router => _services.Router;

    private HyphaServerOptions Options => _services.Options;

    /// <summary>Runs a socket that was just accepted on <c>/ws</c> until it ends.</summary>
    public async Task RunAsync(WebSocket socket, IQueryCollection query)
    {
        var handshake = new HandshakeSocket(socket);
        ClientConnection? connection;
        try
        {
            connection = await HandshakeAsync(handshake, socket, query).ConfigureAwait(false);
        }
        catch (HandshakeRejectedException ex)
        {
            Log.HandshakeRefused(_services.Logger, ex.CloseCode, ex.Message);
            await handshake.RejectAsync(ex.CloseCode, ex.Message, Options.CloseTimeout).ConfigureAwait(false);
            return;
        }
        catch (WebSocketException ex)
        {
            Log.HandshakeEnded(_services.Logger, ex.Message);
            return;
        }

        if (connection is null)
        {
            await handshake.AnswerCloseAsync(Options.CloseTimeout).ConfigureAwait(false);
            return;
        }

        try
        {
            if (await NotifyConnectedAsync(connection).ConfigureAwait(false))
            {
                await connection.RunAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            await ForgetAsync(connection).ConfigureAwait(false);
        }
    }

    // Authenticates, queues connection_info and takes the client's address. Null when the client closed first.
    private async Task<ClientConnection?> HandshakeAsync(HandshakeSocket handshake, WebSocket socket, IQueryCollection query)
    {
        if (LegacyQueryKeys.FirstOrDefault(query.ContainsKey) is { } legacyKey)
        {
            throw new HandshakeRejectedException(
                CloseCodes.PolicyViolation,
                $"Query-string authentication ('{legacyKey}') is not supported; send the authentication JSON as the first message");
        }

        byte[]? authFrame = await handshake.ReadAuthFrameAsync(Options.AuthTimeout, _services.Stopping).ConfigureAwait(false);
        if (authFrame is null)
        {
            return null;
        }

        AuthenticatedIdentity identity = _authenticator.Authenticate(HandshakeRequest.Parse(authFrame));
        var connection = new WebSocketClientConnection(socket, identity, _services);
        connection.QueueFirst(OutboundFrame.Text(ServerTextMessages.ConnectionInfo(ConnectionInfoFor(connection))));
        await AdmitAsync(connection, identity.IsReconnection).ConfigureAwait(false);
        return connection;
    }

    private ConnectionInfoFields ConnectionInfoFor(ClientConnection connection) => new(
        Options.HyphaVersion,
        Options.PublicBaseUrl!,
        HyphaServer.LocalBaseUrl(Options),
        Router.Manager.ManagerId,
        connection.Client.Workspace,
        connection.Client.ClientId,
        connection.Client.User,
        _services.Tokens.Create(connection.User, HyphaTokenKind.Reconnection, Options.ReconnectionTokenLifetime),
        Options.ReconnectionTokenLifetime);

    // The manager learns of the client before the client's first message is read. If it fails, the client is
    // turned away with 1011 and the reason.
    private async Task<bool> NotifyConnectedAsync(ClientConnection connection)
    {
        try
        {
            await Router.Manager.OnClientConnectedAsync(connection.Client).ConfigureAwait(false);
            Log.Connected(_services.Logger, connection.Address, connection.IsReconnection);
            return true;
        }
        catch (Exception ex)
        {
            Log.ManagerCallbackFailed(_services.Logger, ex, "connect", connection.Address);
            connection.RequestClose(CloseCodes.InternalError, "Server failed to set up the connection");
            await connection.RunAsync().ConfigureAwait(false);
            return false;
        }
    }

    // Every admitted connection ends here exactly once, whatever ended it: out of the registry (so nothing more is
    // routed to it), subscriptions gone with it, and the manager told (it drops the client's services, broadcasts
    // client_disconnected and fails calls pending on it).
    private async Task ForgetAsync(ClientConnection connection)
    {
        _registry.Remove(connection);
        try
        {
            await Router.FailCallsWaitingOnAsync(connection.Address).ConfigureAwait(false);
            await Router.Manager.OnClientDisconnectedAsync(connection.Client).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Log.ManagerCallbackFailed(_services.Logger, ex, "disconnect", connection.Address);
        }
        finally
        {
            Log.Disconnected(_services.Logger, connection.Address);
            connection.MarkFinished();
        }
    }
}
