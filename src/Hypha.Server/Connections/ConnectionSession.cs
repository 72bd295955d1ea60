using Hypha.Server.Routing;

namespace Hypha.Server.Connections;

/// <summary>
/// The part of a connection's life that does not depend on its transport, once its handshake has authenticated the
/// client: admission under its address (<c>Admission</c>), the manager's connect notice, the connection's loops, and
/// the clean-up that always follows. A handshake creates the connection, queues its first frame, then calls
/// <see cref="AdmitAsync"/> and, once admitted, <see cref="RunAdmittedAsync"/>.
/// </summary>
internal sealed partial class ConnectionSession
{
    private readonly ConnectionServices _services;
    private readonly ClientRegistry _registry;

    /// <summary>Creates the session runner shared by every connection of a server.</summary>
    public ConnectionSession(ConnectionServices services, ClientRegistry registry)
    {
        _services = services;
        _registry = registry;
    }

    private MessageRouter Router => _services.Router;

    private HyphaServerOptions Options => _services.Options;

    /// <summary>
    /// Runs a connection that <see cref="AdmitAsync"/> admitted until it ends, then forgets it. Every admitted
    /// connection must go through here exactly once, or its address stays taken.
    /// </summary>
    public async Task RunAdmittedAsync(ClientConnection connection)
    {
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
    // routed to it), subscriptions gone with it, calls waiting on it rejected, the clients of other workspaces it
    // called told it is gone, and the manager told (it drops the client's services and broadcasts client_disconnected).
    private async Task ForgetAsync(ClientConnection connection)
    {
        _registry.Remove(connection);
        try
        {
            await Router.FailCallsWaitingOnAsync(connection.Address).ConfigureAwait(false);
            await Router.TellForeignCalleesAsync(connection).ConfigureAwait(false);
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
