using System.Diagnostics;
using Hypha.Client.Rpc;

namespace Hypha.Bench.Scenarios.Rpc;

/// <summary>Drives <c>add(1, 2)</c> through our client: throughput with many calls in flight, then latency with one.</summary>
internal static class DotNetRpcDriver
{
    /// <summary>
    /// Runs one-second windows until throughput stops climbing (two windows within 5 %), at least
    /// <see cref="RpcSettings.Warmup"/> and at most four times that. This warms the whole path — server and provider
    /// included — before any peer is measured, so that no peer pays for the others' JIT.
    /// </summary>
    public static async Task WarmUpAsync(RemoteFunction add, RpcSettings settings, TextWriter log)
    {
        TimeSpan window = TimeSpan.FromSeconds(1);
        double previous = 0;
        var elapsed = TimeSpan.Zero;
        while (elapsed < settings.Warmup * 4)
        {
            double rate = await LoopAsync(add, settings.InFlight, window).ConfigureAwait(false) / window.TotalSeconds;
            elapsed += window;
            log.WriteLine($"    warm-up: {rate:N0} calls/s");
            if (elapsed >= settings.Warmup && rate < previous * 1.05)
            {
                return;
            }

            previous = Math.Max(previous, rate);
        }
    }

    public static async Task<RpcFigures> RunAsync(RemoteFunction add, RpcSettings settings)
    {
        long calls = await LoopAsync(add, settings.InFlight, settings.Throughput).ConfigureAwait(false);
        double callsPerSecond = calls / settings.Throughput.TotalSeconds;

        var micros = new double[settings.LatencyCalls];
        for (int i = 0; i < micros.Length; i++)
        {
            long start = Stopwatch.GetTimestamp();
            await Check(add).ConfigureAwait(false);
            micros[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }

        Array.Sort(micros);
        return new RpcFigures(callsPerSecond, Percentile(micros, 0.50), Percentile(micros, 0.99));
    }

    public static double Percentile(double[] sorted, double fraction) =>
        sorted[Math.Min(sorted.Length - 1, (int)Math.Floor(fraction * sorted.Length))];

    private static async Task<long> LoopAsync(RemoteFunction add, int inFlight, TimeSpan duration)
    {
        long calls = 0;
        long end = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        async Task Worker()
        {
            while (Stopwatch.GetTimestamp() < end)
            {
                await Check(add).ConfigureAwait(false);
                Interlocked.Increment(ref calls);
            }
        }

        await Task.WhenAll(Enumerable.Range(0, inFlight).Select(_ => Task.Run(Worker))).ConfigureAwait(false);
        return calls;
    }

    private static async Task Check(RemoteFunction add)
    {
        if (await add.InvokeAsync<int>(1, 2).ConfigureAwait(false) != 3)
        {
            throw new InvalidOperationException("add(1, 2) did not return 3.");
        }
    }
}
