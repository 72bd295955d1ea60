using Hypha.Server.Handshake;

namespace Hypha.Server.Connections;

internal sealed partial class ConnectionSession
{
    /// <summary>
    /// Takes the connection's address (one connection per workspace and client id, hypha-protocol.md 1.5). If the
    /// address is held by a live connection, a new client is refused, and a reconnecting client (valid reconnection
    /// token) replaces it: the old connection is closed with 1001 and fully forgotten (the manager sees its
    /// disconnect) before the new one is admitted, so the manager always sees connect and disconnect in pairs. A
    /// holder that is already closing is waited for in both cases. Once admitted, the router can deliver to the
    /// connection: queue its first frame before, and pass it to <see cref="RunAdmittedAsync"/> after.
    /// </summary>
    /// <exception cref="HandshakeRejectedException">The address is taken by a live client (1008), the old connection
    /// did not finish closing in time (1013), or the server is stopping (1001). Nothing was registered: the handshake
    /// refuses the connection in its transport's way.</exception>
    public async Task AdmitAsync(ClientConnection connection)
    {
        // The old connection needs at most one close timeout to end; the rest covers the manager's disconnect work.
        TimeSpan patience = Options.CloseTimeout * 2;
        long deadline = Environment.TickCount64 + (long)patience.TotalMilliseconds;
        while (true)
        {
            if (_services.Stopping.IsCancellationRequested)
            {
                throw new HandshakeRejectedException(CloseCodes.GoingAway, "Server is shutting down");
            }

            ClientConnection? holder = _registry.TryAdd(connection);
            if (holder is null)
            {
                return;
            }

            if (holder.IsOpen)
            {
                if (!connection.IsReconnection)
                {
                    throw new HandshakeRejectedException(
                        CloseCodes.PolicyViolation, $"Client already exists and is active: {connection.Address}");
                }

                holder.RequestGoingAway("Replaced by a new connection of the same client");
            }

            TimeSpan remaining = TimeSpan.FromMilliseconds(deadline - Environment.TickCount64);
            try
            {
                await holder.Finished.WaitAsync(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                throw new HandshakeRejectedException(
                    CloseCodes.TryAgainLater, $"The previous connection of {connection.Address} is still closing; retry");
            }
        }
    }
}
