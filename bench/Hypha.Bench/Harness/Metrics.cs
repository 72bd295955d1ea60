namespace Hypha.Bench.Harness;

/// <summary>The metric names of the report (docs/performance.md) and their units.</summary>
internal static class Metrics
{
    public const string NsPerOp = "ns_per_op";
    public const string AllocBytesPerOp = "alloc_bytes_per_op";
    public const string Bytes = "bytes";
    public const string CallsPerSecond = "calls_per_s";
    public const string P50Micros = "p50_us";
    public const string P99Micros = "p99_us";
    public const string BytesPerSecond = "bytes_per_s";
    public const string CompressBytesPerSecond = "compress_bytes_per_s";
    public const string DecompressBytesPerSecond = "decompress_bytes_per_s";

    /// <summary>A dimensionless ratio; its unit names what it compares (see <see cref="TimeRatioUnit"/>).</summary>
    public const string Ratio = "ratio";

    /// <summary>Every metric, in the order tables show them.</summary>
    public static IReadOnlyList<string> Ordered { get; } =
    [
        NsPerOp, AllocBytesPerOp, Bytes, CallsPerSecond, P50Micros, P99Micros,
        BytesPerSecond, CompressBytesPerSecond, DecompressBytesPerSecond, Ratio,
    ];

    /// <summary>The unit a metric is reported in.</summary>
    public static string UnitOf(string metric) => metric switch
    {
        NsPerOp => "ns",
        AllocBytesPerOp or Bytes => "B",
        CallsPerSecond => "calls/s",
        P50Micros or P99Micros => "us",
        BytesPerSecond or CompressBytesPerSecond or DecompressBytesPerSecond => "B/s",
        Ratio => "x",
        _ => throw new ArgumentException($"Unknown metric '{metric}'.", nameof(metric)),
    };

    /// <summary>
    /// The unit of a time ratio: a case's ns_per_op divided by the ns_per_op of <paramref name="baselineCase"/>
    /// measured in the same run (below 1 means faster than the baseline).
    /// </summary>
    public static string TimeRatioUnit(string baselineCase) => $"x time of {baselineCase}";
}
