namespace Hypha.Transport.Multiplexing;

/// <summary>
/// Wakes one waiting loop: any number of <see cref="Set"/> calls before the loop next waits count as one, so a burst
/// of queued messages costs the writer a single wake-up.
/// </summary>
internal sealed class WakeSignal
{
    private readonly SemaphoreSlim _semaphore = new(0, 1);
    private int _set;

    public void Set()
    {
        if (Interlocked.Exchange(ref _set, 1) == 0)
        {
            _semaphore.Release();
        }
    }

    public async ValueTask WaitAsync()
    {
        await _semaphore.WaitAsync().ConfigureAwait(false);
        Volatile.Write(ref _set, 0);
    }
}
