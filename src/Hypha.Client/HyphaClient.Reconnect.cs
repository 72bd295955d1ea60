using Hypha.Client.Connection;

namespace Hypha.Client;

public sealed partial class HyphaClient
{
    private int _reconnecting;

    // Reads one socket until it closes; an unexpected close starts the reconnection loop.
    private async Task ReceiveAsync(IServerConnection socket)
    {
        string reason = await socket.ReceiveAsync(
                received => received switch
                {
                    { Binary: { } binary } => _peer.HandleBinaryAsync(binary),
                    { Lent: true } => _peer.HandleLentFrameAsync(received.Frame),
                    _ => _peer.HandleMessageAsync(received.Frame, received.Payloads),
                },
                OnText,
                _lifetime.Token)
            .ConfigureAwait(false);
        // Only the current socket's end matters, and only one reconnection loop may run.
        if (_lifetime.IsCancellationRequested || !ReferenceEquals(socket, _socket) || Interlocked.Exchange(ref _reconnecting, 1) == 1)
        {
            return;
        }

        _options.Log?.Invoke($"Connection {reason}.");
        if (!_options.Reconnect)
        {
            _peer.RejectAll($"Connection was closed: {reason}");
            return;
        }

        try
        {
            await ReconnectAsync().ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Exchange(ref _reconnecting, 0);
        }
    }

    // Backoff as the hypha-rpc clients do it: 1 s doubling up to 60 s, ±10 % jitter. Calls pending on other peers
    // stay pending (their answers come back once reconnected); calls to the old manager are rejected.
    private async Task ReconnectAsync()
    {
        TimeSpan delay = _options.ReconnectDelay;
        DateTime giveUp = DateTime.UtcNow + _options.ReconnectFor;
        while (!_lifetime.IsCancellationRequested)
        {
            double jitter = 1 + ((Random.Shared.NextDouble() * 0.2) - 0.1);
            try
            {
                await Task.Delay(delay * jitter, _lifetime.Token).ConfigureAwait(false);
                IServerConnection socket = await OpenAsync(_options with { Workspace = Workspace }, ClientId, _reconnectionToken, _lifetime.Token)
                    .ConfigureAwait(false);
                IServerConnection old = _socket;
                _socket = socket;
                _reconnectionToken = socket.Info.ReconnectionToken ?? _reconnectionToken;
                await old.DisposeAsync().ConfigureAwait(false);
                _peer.ChangeManager(socket.Info.ManagerId);
                await StartAsync(_lifetime.Token).ConfigureAwait(false);
                _options.Log?.Invoke($"Reconnected to {ConnectionInfo.PublicBaseUrl} as {_peer.LocalAddress}.");
                Reconnected?.Invoke();
                return;
            }
            catch (OperationCanceledException) when (_lifetime.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is HyphaConnectionException or Rpc.RemoteException or TimeoutException)
            {
                _options.Log?.Invoke($"Reconnection failed: {ex.Message}");
                if (DateTime.UtcNow >= giveUp)
                {
                    _peer.RejectAll($"Connection was closed and could not be re-established: {ex.Message}");
                    return;
                }

                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.MaxReconnectDelay.Ticks));
            }
        }
    }
}
