using Hypha.Protocol.MsgPack;
using Hypha.Protocol.Native;
using Hypha.Server.Auth;
using Hypha.Server.Connections;
using Hypha.Server.Handshake;
using Hypha.Transport.Multiplexing;
using Microsoft.AspNetCore.Connections;

namespace Hypha.Server.Native;

/// <summary>
/// The life of one native connection (docs/wire-format.md §2, §6.1, §6.2): the client's preface and Hello within
/// the authentication deadline, the same authentication and admission as a WebSocket client, the HelloAck with
/// <c>connection_info</c>, then the transport-independent rest in <see cref="ConnectionSession"/>. A refusal is an
/// Error frame with the reason.
/// </summary>
internal sealed class NativeSession
{
    private readonly ConnectionServices _services;
    private readonly Authenticator _authenticator;
    private readonly ConnectionSession _sessions;
    private readonly MultiplexerOptions _options;

    /// <summary>Creates the native session runner shared by every native connection of a server.</summary>
    public NativeSession(ConnectionServices services, Authenticator authenticator, ConnectionSession sessions, MultiplexerOptions options)
    {
        _services = services;
        _authenticator = authenticator;
        _sessions = sessions;
        _options = options;
    }

    private HyphaServerOptions Options => _services.Options;

    /// <summary>Runs a connection whose first bytes are the native preface until it ends.</summary>
    public async Task RunAsync(ConnectionContext context)
    {
        NativeClientConnection? connection = await HandshakeAsync(context).ConfigureAwait(false);
        if (connection is not null)
        {
            await _sessions.RunAdmittedAsync(connection).ConfigureAwait(false);
        }
    }

    private async Task<NativeClientConnection?> HandshakeAsync(ConnectionContext context)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(_services.Stopping);
        deadline.CancelAfter(Options.AuthTimeout);
        NativeSettings client;
        MsgPackMap auth;
        try
        {
            (client, auth) = await NativeHandshake.ReadHelloAsync(context.Transport, deadline.Token).ConfigureAwait(false);
        }
        catch (NativeProtocolException ex)
        {
            await RefuseAsync(context, ex.Code, ex.Message).ConfigureAwait(false);
            return null;
        }
        catch (OperationCanceledException)
        {
            string reason = _services.Stopping.IsCancellationRequested ? "Server is shutting down" : "Authentication payload timeout: no Hello in time";
            await RefuseAsync(context, _services.Stopping.IsCancellationRequested ? NativeErrorCode.Shutdown : NativeErrorCode.Timeout, reason)
                .ConfigureAwait(false);
            return null;
        }

        NativeSettings answer = NativeHandshake.Answer(_options, client);
        NativeClientConnection connection;
        try
        {
            AuthenticatedIdentity identity = _authenticator.Authenticate(HandshakeRequest.FromMap(auth));
            connection = new NativeClientConnection(context, new Multiplexer(context.Transport, _options with { Settings = answer }, client), identity, _services);
            await _sessions.AdmitAsync(connection).ConfigureAwait(false);
        }
        catch (HandshakeRejectedException ex)
        {
            Log.HandshakeRefused(_services.Logger, ex.CloseCode, ex.Message);
            await RefuseAsync(context, NativeCloseCodes.ToNative(ex.CloseCode), ex.Message).ConfigureAwait(false);
            return null;
        }

        // Admitted: from here the address is taken, so whatever happens the connection goes through RunAdmittedAsync.
        try
        {
            MsgPackMap info = ConnectionInfoFields.For(connection, _services).ToMap();
            await NativeHandshake.AcceptAsync(context.Transport, answer, info, deadline.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or InvalidOperationException)
        {
            connection.RequestClose(CloseCodes.GoingAway, $"The handshake could not be completed: {ex.Message}");
        }

        return connection;
    }

    private async Task RefuseAsync(ConnectionContext context, NativeErrorCode code, string reason)
    {
        using var timeout = new CancellationTokenSource(Options.CloseTimeout);
        try
        {
            await NativeHandshake.RefuseAsync(context.Transport, code, reason, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or InvalidOperationException)
        {
            // The client is gone already; there is no one left to tell.
        }
    }
}
