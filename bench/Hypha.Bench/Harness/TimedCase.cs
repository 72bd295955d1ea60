namespace Hypha.Bench.Harness;

/// <summary>A named case the meter can run in batches; create one with <see cref="CaseSet.Add"/>.</summary>
internal abstract class TimedCase
{
    protected TimedCase(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
    }

    /// <summary>The case name of the report rows.</summary>
    public string Name { get; }

    /// <summary>Runs the operation <paramref name="count"/> times; returns the sum of its results.</summary>
    public abstract long Run(long count);
}

/// <summary>
/// A case over a struct operation. The loop is <see cref="Meter.Loop"/> specialised for <typeparamref name="TOp"/>,
/// so the one virtual call per batch is the only dispatch; there is none per operation.
/// </summary>
internal sealed class TimedCase<TOp>(string name, TOp operation) : TimedCase(name)
    where TOp : struct, IOperation
{
    private TOp _operation = operation;

    public override long Run(long count) => Meter.Loop(ref _operation, count);
}
