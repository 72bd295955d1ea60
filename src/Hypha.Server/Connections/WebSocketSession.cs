using System.Net.WebSockets;
using Hypha.Server.Auth;
using Hypha.Server.Handshake;
using Microsoft.AspNetCore.Http;

namespace Hypha.Server.Connections;

/// <summary>
/// The life of one socket accepted on <c>/ws</c>: the WebSocket handshake (hypha-protocol.md 1.2: no credentials in
/// the query, the authentication JSON as the first frame, <c>connection_info</c> as the answer, refusals with an
/// error frame and a close code), then the transport-independent rest in <see cref="ConnectionSession"/>.
/// </summary>
internal sealed class WebSocketSession
{
    // The legacy (imjoy-rpc) style put credentials in the query; the current protocol refuses it.
    private static readonly string[] LegacyQueryKeys = ["workspace", "client_id", "token", "reconnection_token"];

    private readonly ConnectionServices _services;
    private readonly Authenticator _authenticator;
    private readonly ConnectionSession _sessions;

    /// <summary>Creates the WebSocket session runner shared by every socket of a server.</summary>
    public WebSocketSession(ConnectionServices services, Authenticator authenticator, ConnectionSession sessions)
    {
        _services = services;
        _authenticator = authenticator;
        _sessions = sessions;
    }

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

        await _sessions.RunAdmittedAsync(connection).ConfigureAwait(false);
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
        connection.QueueFirst(OutboundFrame.Text(ServerTextMessages.ConnectionInfo(ConnectionInfoFields.For(connection, _services))));
        await _sessions.AdmitAsync(connection).ConfigureAwait(false);
        return connection;
    }
}
