using Hypha.Transport.Multiplexing;

namespace Hypha.Transport.Tests;

public sealed class WakeSignalTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_set_before_the_wait_lets_the_wait_return_at_once()
    {
        var signal = new WakeSignal();
        signal.Set();

        ValueTask wait = signal.WaitAsync();

        Assert.True(wait.IsCompletedSuccessfully);
        await wait;
    }

    [Fact]
    public async Task Sets_before_one_wait_count_as_one()
    {
        var signal = new WakeSignal();
        signal.Set();
        signal.Set();
        signal.Set();
        await signal.WaitAsync();

        Task second = signal.WaitAsync().AsTask();
        await Task.Delay(50);

        Assert.False(second.IsCompleted);
        signal.Set();
        await second.WaitAsync(Patience);
    }

    [Fact]
    public async Task A_set_wakes_a_waiting_loop_on_another_thread()
    {
        var signal = new WakeSignal();
        int callerThread = Environment.CurrentManagedThreadId;
        var woken = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);

        Task loop = Task.Run(async () =>
        {
            await signal.WaitAsync();
            woken.SetResult(true);
        });
        await Task.Delay(50);
        Assert.False(woken.Task.IsCompleted);

        signal.Set();

        Assert.True(await woken.Task.WaitAsync(Patience));
        await loop.WaitAsync(Patience);
    }

    [Fact]
    public async Task A_wait_awaited_twice_is_refused()
    {
        var signal = new WakeSignal();
        ValueTask wait = signal.WaitAsync();
        Task first = wait.AsTask();

        Assert.Throws<InvalidOperationException>(() => { _ = wait.AsTask(); });

        signal.Set();
        await first.WaitAsync(Patience);
    }

    // Many threads set while one loop waits and consumes: every item queued before a Set is seen by a wake-up that
    // starts after it, so none is left behind when the setters stop.
    [Fact]
    public async Task No_wake_up_is_lost_under_concurrent_sets()
    {
        const int Setters = 4;
        const int ItemsPerSetter = 20_000;
        var signal = new WakeSignal();
        long queued = 0;
        long consumed = 0;

        Task loop = Task.Run(async () =>
        {
            while (Interlocked.Read(ref consumed) < Setters * ItemsPerSetter)
            {
                await signal.WaitAsync();
                Interlocked.Exchange(ref consumed, Interlocked.Read(ref queued));
            }
        });

        await Task.WhenAll(Enumerable.Range(0, Setters).Select(_ => Task.Run(() =>
        {
            for (int i = 0; i < ItemsPerSetter; i++)
            {
                Interlocked.Increment(ref queued);
                signal.Set();
            }
        })));

        await loop.WaitAsync(Patience);
        Assert.Equal(Setters * ItemsPerSetter, Interlocked.Read(ref consumed));
    }
}
