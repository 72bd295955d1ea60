using System.Globalization;
using System.Text;

namespace Hypha.Bench.Harness;

/// <summary>Prints rows as one readable table per scenario: a line per case, a column per metric.</summary>
internal static class TableWriter
{
    private const string TimeRatioPrefix = "x time of ";

    public static void Write(TextWriter output, IReadOnlyList<ResultRow> rows)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(rows);
        foreach (IGrouping<string, ResultRow> scenario in rows.GroupBy(r => r.Scenario))
        {
            WriteScenario(output, scenario.Key, [.. scenario]);
        }
    }

    private static void WriteScenario(TextWriter output, string scenario, List<ResultRow> rows)
    {
        List<string> metrics = [.. rows.Select(r => r.Metric).Distinct().OrderBy(RankOf)];
        List<string> cases = [.. rows.Select(r => r.Case).Distinct()];
        List<string[]> cells = [[scenario, .. metrics]];
        foreach (string caseName in cases)
        {
            string[] line = new string[metrics.Count + 1];
            line[0] = caseName;
            for (int m = 0; m < metrics.Count; m++)
            {
                line[m + 1] = Cell(rows, caseName, metrics[m]);
            }

            cells.Add(line);
        }

        int[] widths = [.. Enumerable.Range(0, metrics.Count + 1).Select(c => cells.Max(l => l[c].Length))];
        output.WriteLine();
        for (int l = 0; l < cells.Count; l++)
        {
            var text = new StringBuilder();
            for (int c = 0; c < widths.Length; c++)
            {
                text.Append(c == 0 ? cells[l][c].PadRight(widths[c]) : "  " + cells[l][c].PadLeft(widths[c]));
            }

            output.WriteLine(text.ToString().TrimEnd());
            if (l == 0)
            {
                output.WriteLine(new string('-', widths.Sum() + (2 * (widths.Length - 1))));
            }
        }
    }

    // A case may compare itself with several others: every ratio is shown, in the order emitted. Any other metric
    // has one value per case (the last, should a scenario emit it twice).
    private static string Cell(List<ResultRow> rows, string caseName, string metric)
    {
        List<ResultRow> matching = [.. rows.Where(r => r.Case == caseName && r.Metric == metric)];
        if (matching.Count == 0)
        {
            return "";
        }

        return metric == Metrics.Ratio
            ? string.Join("; ", matching.Select(r => Format(r.Value, r.Unit)))
            : Format(matching[^1].Value, matching[^1].Unit);
    }

    private static int RankOf(string metric)
    {
        for (int rank = 0; rank < Metrics.Ordered.Count; rank++)
        {
            if (Metrics.Ordered[rank] == metric)
            {
                return rank;
            }
        }

        return int.MaxValue;
    }

    /// <summary>A value with its unit, scaled for reading (B/s in decimal MB/s or GB/s).</summary>
    public static string Format(double value, string unit)
    {
        ArgumentNullException.ThrowIfNull(unit);
        CultureInfo inv = CultureInfo.InvariantCulture;
        if (unit.StartsWith(TimeRatioPrefix, StringComparison.Ordinal))
        {
            return string.Create(inv, $"{value:0.00}x {unit[TimeRatioPrefix.Length..]}");
        }

        return unit switch
        {
            "ns" or "us" => string.Create(inv, $"{value:N1} {unit}"),
            "B" when value == Math.Floor(value) => string.Create(inv, $"{value:N0} B"),
            "B" => string.Create(inv, $"{value:N1} B"),
            "B/s" when value >= 1e9 => string.Create(inv, $"{value / 1e9:N2} GB/s"),
            "B/s" => string.Create(inv, $"{value / 1e6:N1} MB/s"),
            "calls/s" => string.Create(inv, $"{value:N0} calls/s"),
            "x" => string.Create(inv, $"{value:0.00}x"),
            _ => string.Create(inv, $"{value:G6} {unit}"),
        };
    }
}
