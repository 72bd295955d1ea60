namespace Hypha.Bench.Harness;

/// <summary>
/// One named scenario (<c>codec</c>, <c>rpc</c>, <c>bulk</c>, ...). It measures all its peers in one call to
/// <see cref="Run"/>, side by side, and emits their rows (and the ratios between them) through the context.
/// Register a new scenario in <see cref="ScenarioCatalog"/>.
/// </summary>
internal interface IScenario
{
    /// <summary>The name given on the command line.</summary>
    string Name { get; }

    /// <summary>A one-line description for <c>--help</c>.</summary>
    string Description { get; }

    /// <summary>Measures every case and emits the rows.</summary>
    void Run(BenchContext context);
}
