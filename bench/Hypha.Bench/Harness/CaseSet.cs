namespace Hypha.Bench.Harness;

/// <summary>The peers of one comparison, measured together with their batches interleaved.</summary>
internal sealed class CaseSet
{
    private readonly List<TimedCase> _cases = [];

    public IReadOnlyList<TimedCase> Cases => _cases;

    /// <summary>Adds a case; the name must be unique within the set.</summary>
    public CaseSet Add<TOp>(string name, TOp operation)
        where TOp : struct, IOperation
    {
        if (_cases.Any(c => c.Name == name))
        {
            throw new ArgumentException($"The case '{name}' is already in the set.", nameof(name));
        }

        _cases.Add(new TimedCase<TOp>(name, operation));
        return this;
    }
}
