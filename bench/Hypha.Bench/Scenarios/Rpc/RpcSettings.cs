namespace Hypha.Bench.Scenarios.Rpc;

/// <summary>
/// How long each peer of the <c>rpc</c> scenario runs. The warm-up is long because the JIT's tiering, which takes a
/// few seconds on a busy 2-core machine, decides much of what a run measures.
/// </summary>
internal sealed record RpcSettings(int InFlight, TimeSpan Warmup, TimeSpan Throughput, int LatencyCalls)
{
    public static RpcSettings Full { get; } = new(64, TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(5), 5000);

    public static RpcSettings Quick { get; } = new(64, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(2), 2000);
}
