using Hypha.Bench.Harness;

namespace Hypha.Bench.Scenarios.Rpc;

/// <summary>The figures of every case of one <c>rpc</c> run, and the rows they and their ratios make.</summary>
internal sealed class RpcResults
{
    private readonly BenchContext _context;
    private readonly OrderedDictionary<string, RpcFigures> _figures = new();

    public RpcResults(BenchContext context) => _context = context;

    private readonly List<(string Case, double Bytes)> _bytesPerCall = [];

    private readonly List<(string Case, double P50, double RawP50)> _pairedP50 = [];

    private readonly List<(string Case, double CallsPerSecond, string Baseline, double BaselineCallsPerSecond)> _pairedThroughput = [];

    public void Add(string caseName, RpcFigures figures) => _figures.Add(caseName, figures);

    /// <summary>Records the bytes one call of a native case puts on its consumer's connection, both ways (emitted with the figures).</summary>
    public void AddBytesPerCall(string caseName, double bytes) => _bytesPerCall.Add((caseName, bytes));

    /// <summary>Records a case's p50 and <c>raw-tcp</c>'s, timed in alternating blocks (emitted with the ratios).</summary>
    public void AddPairedP50(string caseName, double p50, double rawP50) => _pairedP50.Add((caseName, p50, rawP50));

    /// <summary>Records a case's calls_per_s and a baseline's, counted in alternating blocks (emitted with the ratios).</summary>
    public void AddPairedThroughput(string caseName, double callsPerSecond, string baseline, double baselineCallsPerSecond) =>
        _pairedThroughput.Add((caseName, callsPerSecond, baseline, baselineCallsPerSecond));

    /// <summary>
    /// Emits, for each case timed against <c>raw-tcp</c> in alternating blocks, its p50 divided by raw-tcp's from the
    /// same blocks, on the row <c>&lt;case&gt;/p50-paired</c>; and for each case counted against a baseline in
    /// alternating blocks, its calls_per_s divided by the baseline's, on the row <c>&lt;case&gt;/vs-&lt;baseline&gt;-paired</c>.
    /// </summary>
    public void EmitPairedRatios()
    {
        foreach ((string caseName, double p50, double rawP50) in _pairedP50)
        {
            _context.Emit($"{caseName}/p50-paired", Metrics.Ratio, p50 / rawP50,
                $"x p50_us of {RpcCases.RawTcp}, alternating blocks ({p50:N0} / {rawP50:N0} us)");
        }

        foreach ((string caseName, double ours, string baseline, double theirs) in _pairedThroughput)
        {
            _context.Emit($"{caseName}/vs-{baseline}-paired", Metrics.Ratio, ours / theirs,
                $"x {Metrics.CallsPerSecond} of {baseline}, alternating blocks ({ours:N0} / {theirs:N0})");
        }
    }

    /// <summary>Emits calls_per_s, p50_us and p99_us of every case, in the order the cases were added.</summary>
    public void EmitFigures()
    {
        foreach ((string caseName, RpcFigures figures) in _figures)
        {
            _context.Emit(caseName, Metrics.CallsPerSecond, figures.CallsPerSecond);
            _context.Emit(caseName, Metrics.P50Micros, figures.P50Micros);
            _context.Emit(caseName, Metrics.P99Micros, figures.P99Micros);
        }

        foreach ((string caseName, double bytes) in _bytesPerCall)
        {
            _context.Emit(caseName, Metrics.Bytes, bytes, "B per call, both ways");
        }
    }

    /// <summary>
    /// Emits, on the row named <paramref name="row"/>, <paramref name="metric"/> of <paramref name="caseName"/> divided
    /// by the same metric of <paramref name="baseline"/>, in the unit <c>x &lt;metric&gt; of &lt;baseline&gt;</c>.
    /// The table shows one ratio per row name, so a case compared with a second baseline needs a row of its own.
    /// </summary>
    public void EmitRatio(string row, string caseName, string metric, string baseline) =>
        _context.Emit(row, Metrics.Ratio, Value(_figures[caseName], metric) / Value(_figures[baseline], metric), $"x {metric} of {baseline}");

    private static double Value(RpcFigures figures, string metric) => metric switch
    {
        Metrics.CallsPerSecond => figures.CallsPerSecond,
        Metrics.P50Micros => figures.P50Micros,
        Metrics.P99Micros => figures.P99Micros,
        _ => throw new ArgumentException($"The rpc scenario has no metric '{metric}'.", nameof(metric)),
    };
}
