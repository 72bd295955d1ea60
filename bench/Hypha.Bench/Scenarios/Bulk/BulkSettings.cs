namespace Hypha.Bench.Scenarios.Bulk;

/// <summary>How many timed rounds of each size the bulk scenario runs.</summary>
/// <param name="Rounds">Timed rounds, each one transfer per case and size (after one round of warm-up).</param>
internal sealed record BulkSettings(int Rounds)
{
    public static BulkSettings Full { get; } = new(12);

    public static BulkSettings Quick { get; } = new(3);

    /// <summary>The payload sizes: 1, 64 and 256 MiB.</summary>
    public int[] Sizes { get; } = [1 << 20, 64 << 20, 256 << 20];

    /// <summary>A size as a case suffix: <c>64MiB</c>.</summary>
    public static string Label(int size) => $"{size >> 20}MiB";
}
