using Hypha.Client.Services;
using Hypha.Client.Typed;

namespace Hypha.Bench.Scenarios.Rpc.Typed;

/// <summary>A reading, as the typed cases carry it (the same fields as <c>Schemas/bench_reading.schema.json</c>).</summary>
public sealed record BenchReading(string SensorName, double Value, long At, string[] Tags);

/// <summary>The typed contract of the rpc scenario's <c>native-typed</c> and <c>dispatch</c> cases.</summary>
[HyphaService("bench-typed", Visibility = ServiceVisibility.Public)]
public interface IBenchService
{
    /// <summary>The scenario's call, <c>add(1, 2)</c>.</summary>
    ValueTask<int> AddAsync(int a, int b);

    /// <summary>A record in, the same record out: what a record costs the dispatcher.</summary>
    ValueTask<BenchReading> EchoAsync(BenchReading reading);
}

/// <summary>The implementation the typed cases serve.</summary>
internal sealed class BenchService : IBenchService
{
    public ValueTask<int> AddAsync(int a, int b) => ValueTask.FromResult(a + b);

    public ValueTask<BenchReading> EchoAsync(BenchReading reading) => ValueTask.FromResult(reading);
}
