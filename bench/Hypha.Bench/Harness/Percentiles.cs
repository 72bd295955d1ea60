namespace Hypha.Bench.Harness;

/// <summary>Percentiles of measured latencies, the same way in every scenario.</summary>
internal static class Percentiles
{
    /// <summary>The value at <paramref name="fraction"/> (0.99 for p99) of <paramref name="sorted"/>, sorted ascending.</summary>
    public static double Of(double[] sorted, double fraction) =>
        sorted[Math.Min(sorted.Length - 1, (int)Math.Floor(fraction * sorted.Length))];
}
