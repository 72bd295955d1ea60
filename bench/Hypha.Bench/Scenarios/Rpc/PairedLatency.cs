using Hypha.Bench.Harness;

namespace Hypha.Bench.Scenarios.Rpc;

/// <summary>
/// The p50 of two calls, one in flight, timed in alternating blocks so that both meet the same moments of the
/// machine. On a virtual machine, one-in-flight latency moves by several times from minute to minute with how fast a
/// sleeping thread wakes on the other vCPU; two cases timed minutes apart carry that swing into their ratio.
/// </summary>
internal static class PairedLatency
{
    private const int Blocks = 10;

    /// <summary>Times <paramref name="calls"/> calls of each, in <see cref="Blocks"/> blocks each, the first of a pair alternating.</summary>
    public static async Task<(double P50, double BaselineP50)> MeasureAsync(Func<Task> call, Func<Task> baseline, int calls)
    {
        int perBlock = Math.Max(1, calls / Blocks);
        var ours = new double[perBlock * Blocks];
        var theirs = new double[perBlock * Blocks];
        await AlternatingBlocks.RunAsync(Blocks,
            block => CallLoad.TimeCallsAsync(call, ours.AsMemory(block * perBlock, perBlock)),
            block => CallLoad.TimeCallsAsync(baseline, theirs.AsMemory(block * perBlock, perBlock))).ConfigureAwait(false);

        Array.Sort(ours);
        Array.Sort(theirs);
        return (Percentiles.Of(ours, 0.50), Percentiles.Of(theirs, 0.50));
    }
}
