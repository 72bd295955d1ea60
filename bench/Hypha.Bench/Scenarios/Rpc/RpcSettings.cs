namespace Hypha.Bench.Scenarios.Rpc;

/// <summary>
/// How long each peer of the <c>rpc</c> scenario runs. The warm-up is long because the JIT's tiering, which takes a
/// few seconds on a busy 2-core machine, decides much of what a run measures. A case warms up for at least
/// <see cref="Warmup"/> and at most <see cref="WarmupLimit"/>. The quick settings are short so that <c>--quick</c> of
/// every scenario stays under a minute with the scenario's nine peers and baselines; its figures are indicative only.
/// </summary>
internal sealed record RpcSettings(int InFlight, TimeSpan Warmup, TimeSpan WarmupLimit, TimeSpan Throughput, int LatencyCalls)
{
    public static RpcSettings Full { get; } = new(64, TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(16), TimeSpan.FromSeconds(5), 5000);

    public static RpcSettings Quick { get; } = new(64, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(1), 1000);
}
