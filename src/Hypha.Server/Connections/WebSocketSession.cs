using System.IO.Pipelines;
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

    /// <summary>Runs a connection that was just upgraded on <c>/ws</c> until it ends.</summary>
    /// <param name="pipe">The connection's pipes.</param>
    /// <param name="abortConnection">Tears the connection down.</param>
    /// <param name="query">The request's query, where legacy clients put their credentials.</param>
    public async Task RunAsync(IDuplexPipe pipe, Action abortConnection, IQueryCollection query)
    {
        await using var transport = new WebSocketTransport(pipe, abortConnection, Options, _services.Logger);
        var handshake = new HandshakeSocket(transport);
        ClientConnection? connection;
        try
        {
            connection = await HandshakeAsync(handshake, transport, query).ConfigureAwait(false);
        }
        catch (HandshakeRejectedException ex)
        {
            Log.HandshakeRefused(_services.Logger, ex.CloseCode, ex.Message);
            await handshake.RejectAsync(ex.CloseCode, ex.Message, Options.CloseTimeout).ConfigureAwait(false);
            return;
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException)
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
    private async Task<ClientConnection?> HandshakeAsync(HandshakeSocket handshake, WebSocketTransport transport, IQueryCollection query)
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
        var connection = new WebSocketClientConnection(transport, identity, _services);
        connection.QueueFirst(OutboundFrame.Text(ServerTextMessages.ConnectionInfo(ConnectionInfoFields.For(connection, _services))));
        await _sessions.AdmitAsync(connection).ConfigureAwait(false);
        return connection;
    }
}
