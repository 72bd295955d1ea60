using Hypha.Bench.Scenarios.Bulk;
using Hypha.Bench.Scenarios.Codec;
using Hypha.Bench.Scenarios.Compress;
using Hypha.Bench.Scenarios.Hol;
using Hypha.Bench.Scenarios.Rpc;

namespace Hypha.Bench.Harness;

/// <summary>Every scenario the runner knows, in the order <c>all</c> runs them. Add new scenarios here.</summary>
internal static class ScenarioCatalog
{
    /// <summary>The name that selects every scenario (also the default).</summary>
    public const string AllName = "all";

    public static IReadOnlyList<IScenario> All { get; } =
    [
        new CodecScenario(),
        new RpcScenario(),
        new HolScenario(),
        new BulkScenario(),
        new CompressScenario(),
    ];

    public static IScenario? Find(string name) =>
        All.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));
}
