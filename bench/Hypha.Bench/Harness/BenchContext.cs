namespace Hypha.Bench.Harness;

/// <summary>What a scenario gets while it runs: the settings, a meter, and the sink for its result rows.</summary>
internal sealed class BenchContext
{
    private readonly List<ResultRow> _rows;
    private readonly TextWriter _log;

    public BenchContext(string scenario, bool quick, List<ResultRow> rows, TextWriter log)
    {
        Scenario = scenario;
        Quick = quick;
        Settings = quick ? MeasureSettings.Quick : MeasureSettings.Full;
        _rows = rows;
        _log = log;
    }

    /// <summary>The name of the scenario running.</summary>
    public string Scenario { get; }

    /// <summary>Progress output (stderr), for scenarios that report steps of their own.</summary>
    public TextWriter Log => _log;

    /// <summary>True for <c>--quick</c>: fewer and shorter batches, smaller sizes where a scenario has them.</summary>
    public bool Quick { get; }

    /// <summary>The meter settings that go with <see cref="Quick"/>.</summary>
    public MeasureSettings Settings { get; }

    /// <summary>
    /// Times the cases of <paramref name="set"/> side by side (see <see cref="Meter"/>) and emits each one's
    /// <c>ns_per_op</c> and <c>alloc_bytes_per_op</c> rows, in the order of the set.
    /// </summary>
    public IReadOnlyDictionary<string, Measurement> Measure(CaseSet set) => Measure(set, Settings);

    /// <summary>As <see cref="Measure(CaseSet)"/>, with a scenario's own <paramref name="settings"/>.</summary>
    public IReadOnlyDictionary<string, Measurement> Measure(CaseSet set, MeasureSettings settings)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(settings);
        _log.WriteLine($"  {string.Join(", ", set.Cases.Select(c => c.Name))} ...");
        Measurement[] measured = Meter.Measure(set.Cases, settings);
        var results = new Dictionary<string, Measurement>();
        for (int i = 0; i < measured.Length; i++)
        {
            string name = set.Cases[i].Name;
            Measurement m = measured[i];
            _log.WriteLine(
                $"    {name}: {m.NsPerOp:N1} ns/op (batches {m.MinNsPerOp:N1}..{m.MaxNsPerOp:N1}, {m.Batches} x {m.OpsPerBatch:N0} ops; " +
                $"alloc {m.AllocBytesPerOp:N1} B/op, at most {m.MaxAllocBytesPerOp:N1})");
            Emit(name, Metrics.NsPerOp, m.NsPerOp);
            Emit(name, Metrics.AllocBytesPerOp, m.AllocBytesPerOp);
            results[name] = m;
        }

        return results;
    }

    /// <summary>Emits one row, in the metric's standard unit unless <paramref name="unit"/> is given.</summary>
    public void Emit(string caseName, string metric, double value, string? unit = null)
    {
        if (!double.IsFinite(value))
        {
            throw new InvalidOperationException($"{Scenario} {caseName}: {metric} is {value}.");
        }

        _rows.Add(new ResultRow(Scenario, caseName, metric, Math.Round(value, 3), unit ?? Metrics.UnitOf(metric)));
    }

    /// <summary>Emits the time ratio of <paramref name="caseName"/> to <paramref name="baselineCase"/>.</summary>
    public void EmitTimeRatio(string caseName, Measurement measured, string baselineCase, Measurement baseline)
    {
        ArgumentNullException.ThrowIfNull(measured);
        ArgumentNullException.ThrowIfNull(baseline);
        Emit(caseName, Metrics.Ratio, measured.NsPerOp / baseline.NsPerOp, Metrics.TimeRatioUnit(baselineCase));
    }
}
