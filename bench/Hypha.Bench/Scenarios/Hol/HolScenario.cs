using Hypha.Bench.Harness;

namespace Hypha.Bench.Scenarios.Hol;

/// <summary>
/// Head-of-line blocking: the latency of small calls while a large transfer runs on the same native connection.
/// Cases side by side in one run: <c>idle</c> (no transfer), <c>mux</c> (channel priorities on: calls preempt the
/// transfer between its fragments) and <c>fifo</c> (priorities off: frames leave in the order they were queued), at
/// the multiplexer on one TCP connection; then the same three end to end (<c>e2e-*</c>): our clients through our
/// server, the transfer a 256 MiB byte-array argument.
/// </summary>
internal sealed class HolScenario : IScenario
{
    public string Name => "hol";

    public string Description => "p99 of small calls during a large transfer on the same connection: mux vs fifo vs idle";

    public void Run(BenchContext context) => RunAsync(context).GetAwaiter().GetResult();

    private static async Task RunAsync(BenchContext context)
    {
        HolSettings settings = context.Quick ? HolSettings.Quick : HolSettings.Full;
        var results = new Dictionary<string, double[]>();
        foreach ((string name, bool prioritize, bool transfer, bool endToEnd) in new[]
        {
            ("idle", true, false, false), ("mux", true, true, false), ("fifo", false, true, false),
            ("e2e-idle", true, false, true), ("e2e-mux", true, true, true), ("e2e-fifo", false, true, true),
        })
        {
            context.Log.WriteLine($"  {name}:");
            double[] micros = endToEnd
                ? await HolCase.RunAsync(prioritize, transfer, settings, context.Log).ConfigureAwait(false)
                : await MuxHolCase.RunAsync(prioritize, transfer, settings, context.Log).ConfigureAwait(false);
            Array.Sort(micros);
            results[name] = micros;
            context.Emit(name, Metrics.P50Micros, Percentiles.Of(micros, 0.50));
            context.Emit(name, Metrics.P99Micros, Percentiles.Of(micros, 0.99));
            context.Log.WriteLine($"    {micros.Length} calls timed");
        }

        foreach (string prefix in new[] { "", "e2e-" })
        {
            double idle = Percentiles.Of(results[$"{prefix}idle"], 0.99);
            context.Emit($"{prefix}mux", Metrics.Ratio, Percentiles.Of(results[$"{prefix}mux"], 0.99) / idle, $"x p99_us of {prefix}idle");
            context.Emit($"{prefix}fifo", Metrics.Ratio, Percentiles.Of(results[$"{prefix}fifo"], 0.99) / idle, $"x p99_us of {prefix}idle");
        }
    }
}
