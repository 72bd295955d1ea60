namespace Hypha.Bench.Harness;

/// <summary>The outcome of timing one operation.</summary>
/// <param name="NsPerOp">The median over the batches of nanoseconds per operation.</param>
/// <param name="MinNsPerOp">The fastest batch, per operation.</param>
/// <param name="MaxNsPerOp">The slowest batch, per operation.</param>
/// <param name="AllocBytesPerOp">The median over the batches of bytes allocated on the measuring thread per operation.</param>
/// <param name="MaxAllocBytesPerOp">The most any batch allocated per operation (0 proves an allocation-free path).</param>
/// <param name="OpsPerBatch">How many operations each batch ran.</param>
/// <param name="Batches">How many batches were timed.</param>
internal sealed record Measurement(
    double NsPerOp,
    double MinNsPerOp,
    double MaxNsPerOp,
    double AllocBytesPerOp,
    double MaxAllocBytesPerOp,
    long OpsPerBatch,
    int Batches)
{
    /// <summary>Operations per second at the median speed.</summary>
    public double OpsPerSecond => 1e9 / NsPerOp;
}
