using Hypha.Server.Routing;

namespace Hypha.Server.Connections;

/// <summary>
/// Closes connections that sent nothing for <see cref="HyphaServerOptions.IdleTimeout"/> with 1001 "Idle timeout"
/// (the clients' own pings, every 20 to 30 s, keep a healthy connection well within the default 600 s).
/// One timer sweeps every connection, so receiving a frame costs only a timestamp.
/// </summary>
internal sealed class IdleMonitor : IAsyncDisposable
{
    private readonly ClientRegistry _registry;
    private readonly long _idleMilliseconds;
    private readonly PeriodicTimer _timer;
    private readonly Task _sweeping;

    /// <summary>Starts sweeping.</summary>
    public IdleMonitor(ClientRegistry registry, TimeSpan idleTimeout)
    {
        _registry = registry;
        _idleMilliseconds = (long)idleTimeout.TotalMilliseconds;
        // A quarter of the timeout keeps the close within 25 % of it; the bounds keep the timer neither busy nor lazy.
        TimeSpan period = TimeSpan.FromMilliseconds(Math.Clamp(idleTimeout.TotalMilliseconds / 4, 50, 30_000));
        _timer = new PeriodicTimer(period);
        _sweeping = SweepAsync();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _timer.Dispose();
        await _sweeping.ConfigureAwait(false);
    }

    private async Task SweepAsync()
    {
        while (await _timer.WaitForNextTickAsync().ConfigureAwait(false))
        {
            long now = Environment.TickCount64;
            foreach (ClientConnection connection in _registry.All)
            {
                if (now - connection.LastActivity > _idleMilliseconds)
                {
                    connection.RequestGoingAway("Idle timeout");
                }
            }
        }
    }
}
