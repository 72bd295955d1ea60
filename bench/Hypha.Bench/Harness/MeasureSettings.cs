namespace Hypha.Bench.Harness;

/// <summary>How long the meter warms an operation up and how it divides the timed run into batches.</summary>
/// <param name="WarmUp">Time spent running the operation untimed, so the JIT reaches its optimised tier.</param>
/// <param name="BatchTime">The target duration of one timed batch.</param>
/// <param name="Batches">The number of timed batches; the median batch is reported.</param>
internal sealed record MeasureSettings(TimeSpan WarmUp, TimeSpan BatchTime, int Batches)
{
    /// <summary>The full run, whose figures go into docs/performance.md.</summary>
    public static MeasureSettings Full { get; } = new(TimeSpan.FromMilliseconds(1000), TimeSpan.FromMilliseconds(100), 15);

    /// <summary>The <c>--quick</c> run: indicative figures, a whole run in well under a minute.</summary>
    public static MeasureSettings Quick { get; } = new(TimeSpan.FromMilliseconds(150), TimeSpan.FromMilliseconds(20), 5);
}
