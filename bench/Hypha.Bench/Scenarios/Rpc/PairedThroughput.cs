namespace Hypha.Bench.Scenarios.Rpc;

/// <summary>
/// The calls_per_s of two calls, <see cref="RpcSettings.InFlight"/> in flight, counted in alternating one-second
/// blocks so that both meet the same moments of the machine. Measured minutes apart, as the sequential rows are, the
/// throughput of either moves by a third from one minute to the next on this virtual machine, and so does their ratio.
/// </summary>
internal static class PairedThroughput
{
    private const int BlocksEach = 6;
    private static readonly TimeSpan Block = TimeSpan.FromSeconds(1);

    /// <summary>Counts each call's completions in <see cref="BlocksEach"/> blocks, the first of a pair alternating; returns calls per second.</summary>
    public static Task<(double CallsPerSecond, double BaselineCallsPerSecond)> MeasureAsync(
        string caseName, Func<Task> call, string baselineName, Func<Task> baseline, RpcSettings settings) =>
        MeasureAsync(
            block => CallLoad.CountCallsAsync(caseName, call, settings.InFlight, block),
            block => CallLoad.CountCallsAsync(baselineName, baseline, settings.InFlight, block));

    /// <summary>
    /// As above, for counters that run a block of the given length and return its completed calls: a peer in another
    /// process (the npm client) counts its own.
    /// </summary>
    public static async Task<(double CallsPerSecond, double BaselineCallsPerSecond)> MeasureAsync(
        Func<TimeSpan, Task<long>> countOurs, Func<TimeSpan, Task<long>> countTheirs)
    {
        long ours = 0;
        long theirs = 0;
        await AlternatingBlocks.RunAsync(BlocksEach,
            async _ => ours += await countOurs(Block).ConfigureAwait(false),
            async _ => theirs += await countTheirs(Block).ConfigureAwait(false))
            .ConfigureAwait(false);

        double seconds = BlocksEach * Block.TotalSeconds;
        return (ours / seconds, theirs / seconds);
    }
}
