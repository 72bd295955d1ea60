namespace Hypha.Server;

public sealed partial class HyphaServer
{
    private readonly Lock _stopGate = new();
    private Task? _stopTask;

    /// <summary>
    /// Stops the server: native clients are told first (GoAway) and calls in flight through the server get up to
    /// <see cref="HyphaServerOptions.ShutdownDrainTimeout"/> to be answered; then every connection is closed with
    /// 1001 "Server is shutting down" (the manager sees each disconnect), Kestrel stops, and the manager is disposed
    /// if it is disposable. Calling it again waits for the same stop.
    /// </summary>
    public Task StopAsync(CancellationToken cancellationToken = default)
    {
        lock (_stopGate)
        {
            return _stopTask ??= StopCoreAsync(cancellationToken);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    private async Task StopCoreAsync(CancellationToken cancellationToken)
    {
        await DrainAsync(cancellationToken).ConfigureAwait(false);
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _idleMonitor.DisposeAsync().ConfigureAwait(false);

        // Each connection needs at most one close timeout to end; the margin covers the manager's disconnect work.
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(Options.CloseTimeout * 2);
        try
        {
            await Task.WhenAll(_registry.All.Select(connection => connection.Finished)).WaitAsync(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Kestrel aborts whatever is still open when it stops.
        }

        await _app.StopAsync(limit.Token).ConfigureAwait(false); // already cancelled if time ran out: Kestrel then aborts at once
        switch (Manager)
        {
            case IAsyncDisposable asyncDisposable:
                await asyncDisposable.DisposeAsync().ConfigureAwait(false);
                break;
            case IDisposable disposable:
                disposable.Dispose();
                break;
        }

        await _app.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    // GoAway to the native clients, then wait while calls routed through the server still await their answers.
    private async Task DrainAsync(CancellationToken cancellationToken)
    {
        foreach (Connections.ClientConnection connection in _registry.All)
        {
            connection.AnnounceGoingAway("Server is shutting down");
        }

        long deadline = Environment.TickCount64 + (long)Options.ShutdownDrainTimeout.TotalMilliseconds;
        while (!_router.HasNoPendingCalls && Environment.TickCount64 < deadline && !cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(10, CancellationToken.None).ConfigureAwait(false);
        }
    }
}
