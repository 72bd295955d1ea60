namespace Hypha.Bench.Scenarios.Bulk;

/// <summary>The sizes the bulk scenario transfers and how many timed rounds of each it runs.</summary>
/// <param name="Rounds">Timed rounds, each one transfer per case and size (after one round of warm-up).</param>
/// <param name="Sizes">The payload sizes.</param>
internal sealed record BulkSettings(int Rounds, int[] Sizes)
{
    /// <summary>1, 64 and 256 MiB, 12 rounds.</summary>
    public static BulkSettings Full { get; } = new(12, [1 << 20, 64 << 20, 256 << 20]);

    /// <summary>1 and 64 MiB, 1 round: every scenario's quick run together must stay under a minute.</summary>
    public static BulkSettings Quick { get; } = new(1, [1 << 20, 64 << 20]);

    /// <summary>A size as a case suffix: <c>64MiB</c>.</summary>
    public static string Label(int size) => $"{size >> 20}MiB";
}
