namespace Hypha.Transport.Multiplexing;

/// <summary>
/// Wakes one waiting loop: any number of <see cref="Set"/> calls before the loop next waits count as one, so a burst
/// of queued messages costs the writer a single wake-up. Used by the multiplexer's writer and by the client's
/// WebSocket writer.
/// </summary>
public sealed class WakeSignal
{
    private readonly SemaphoreSlim _semaphore = new(0, 1);
    private int _set;

    /// <summary>Wakes the loop, or makes its next wait return at once.</summary>
    public void Set()
    {
        if (Interlocked.Exchange(ref _set, 1) == 0)
        {
            _semaphore.Release();
        }
    }

    /// <summary>Waits until <see cref="Set"/> was called since the last wait returned.</summary>
    public async ValueTask WaitAsync()
    {
        await _semaphore.WaitAsync().ConfigureAwait(false);
        Volatile.Write(ref _set, 0);
    }
}
