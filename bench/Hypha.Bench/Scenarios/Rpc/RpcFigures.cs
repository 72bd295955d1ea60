namespace Hypha.Bench.Scenarios.Rpc;

/// <summary>What one peer of the <c>rpc</c> scenario achieved.</summary>
/// <param name="CallsPerSecond">Throughput with many calls in flight.</param>
/// <param name="P50Micros">Median round trip with one call in flight.</param>
/// <param name="P99Micros">99th percentile round trip with one call in flight.</param>
internal sealed record RpcFigures(double CallsPerSecond, double P50Micros, double P99Micros);
