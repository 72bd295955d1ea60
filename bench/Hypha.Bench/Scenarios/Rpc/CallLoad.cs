using System.Diagnostics;
using Hypha.Bench.Harness;

namespace Hypha.Bench.Scenarios.Rpc;

/// <summary>
/// The load every in-process case of the <c>rpc</c> scenario runs, whatever carries the call: a warm-up, then
/// calls_per_s with <see cref="RpcSettings.InFlight"/> calls in flight, then p50/p99 with one call in flight. The call
/// checks its own result and throws when it is wrong; that ends the run with the call's message.
/// </summary>
internal static class CallLoad
{
    // How much longer than planned a phase may run before the calls count as stalled. A lost reply must fail the
    // run, not hang it; a healthy phase overruns by one call at most.
    private static readonly TimeSpan StallAllowance = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Runs one-second windows until throughput stops climbing (two windows within 5 %), at least
    /// <see cref="RpcSettings.Warmup"/> and at most <see cref="RpcSettings.WarmupLimit"/>, so the JIT has promoted the
    /// whole path — whatever servers the call goes through included — before anything is measured.
    /// </summary>
    public static async Task WarmUpAsync(string caseName, Func<Task> call, RpcSettings settings, TextWriter log)
    {
        TimeSpan window = TimeSpan.FromSeconds(1);
        double previous = 0;
        var elapsed = TimeSpan.Zero;
        while (elapsed < settings.WarmupLimit)
        {
            double rate = await LoopAsync(caseName, call, settings.InFlight, window).ConfigureAwait(false) / window.TotalSeconds;
            elapsed += window;
            log.WriteLine($"    {caseName} warm-up: {rate:N0} calls/s");
            if (elapsed >= settings.Warmup && rate < previous * 1.05)
            {
                return;
            }

            previous = Math.Max(previous, rate);
        }
    }

    public static async Task<RpcFigures> MeasureAsync(string caseName, Func<Task> call, RpcSettings settings)
    {
        long calls = await LoopAsync(caseName, call, settings.InFlight, settings.Throughput).ConfigureAwait(false);
        double callsPerSecond = calls / settings.Throughput.TotalSeconds;

        // Planned at a generous millisecond per call: one call in flight takes well under that even on a busy machine.
        TimeSpan latencyPlanned = TimeSpan.FromMilliseconds(settings.LatencyCalls);
        double[] micros = await Within(caseName, LatencyAsync(call, settings.LatencyCalls), latencyPlanned).ConfigureAwait(false);
        Array.Sort(micros);
        return new RpcFigures(callsPerSecond, Percentiles.Of(micros, 0.50), Percentiles.Of(micros, 0.99));
    }

    private static async Task<double[]> LatencyAsync(Func<Task> call, int count)
    {
        var micros = new double[count];
        await TimeCallsAsync(call, micros).ConfigureAwait(false);
        return micros;
    }

    /// <summary>Makes as many calls as <paramref name="micros"/> holds, one at a time, each timed there in microseconds.</summary>
    public static async Task TimeCallsAsync(Func<Task> call, Memory<double> micros)
    {
        for (int i = 0; i < micros.Length; i++)
        {
            long start = Stopwatch.GetTimestamp();
            await call().ConfigureAwait(false);
            micros.Span[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }
    }

    /// <summary>Keeps <paramref name="inFlight"/> calls going for <paramref name="duration"/>; returns how many completed.</summary>
    public static Task<long> CountCallsAsync(string caseName, Func<Task> call, int inFlight, TimeSpan duration) =>
        LoopAsync(caseName, call, inFlight, duration);

    // Keeps inFlight calls going until the time is up; returns how many completed.
    private static async Task<long> LoopAsync(string caseName, Func<Task> call, int inFlight, TimeSpan duration)
    {
        long calls = 0;
        long end = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        async Task Worker()
        {
            while (Stopwatch.GetTimestamp() < end)
            {
                await call().ConfigureAwait(false);
                Interlocked.Increment(ref calls);
            }
        }

        Task all = Task.WhenAll(Enumerable.Range(0, inFlight).Select(_ => Task.Run(Worker)));
        await Within(caseName, all, duration).ConfigureAwait(false);
        return calls;
    }

    private static async Task Within(string caseName, Task phase, TimeSpan planned)
    {
        try
        {
            await phase.WaitAsync(planned + StallAllowance).ConfigureAwait(false);
        }
        catch (TimeoutException) when (!phase.IsCompleted)
        {
            throw new TimeoutException($"{caseName}: calls still pending {StallAllowance.TotalSeconds:N0} s after the phase should have ended.");
        }
    }

    private static async Task<T> Within<T>(string caseName, Task<T> phase, TimeSpan planned)
    {
        await Within(caseName, (Task)phase, planned).ConfigureAwait(false);
        return await phase.ConfigureAwait(false);
    }
}
