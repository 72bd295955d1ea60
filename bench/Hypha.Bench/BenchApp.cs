using System.Diagnostics;
using System.Reflection;
using System.Runtime;
using System.Runtime.InteropServices;
using Hypha.Bench.Harness;

namespace Hypha.Bench;

/// <summary>Runs the selected scenarios, prints the tables and writes the JSON report.</summary>
internal static class BenchApp
{
    public const int ExitOk = 0;
    public const int ExitFailed = 1;
    public const int ExitUsage = 2;

    public static int Run(string[] args, TextWriter output, TextWriter log)
    {
        CommandLine command = CommandLine.Parse(args, out string? error);
        if (error is not null)
        {
            log.WriteLine($"error: {error}");
            log.WriteLine(CommandLine.Usage);
            return ExitUsage;
        }

        if (command.Help)
        {
            WriteHelp(output);
            return ExitOk;
        }

        WriteEnvironment(output, command.Quick);
        var rows = new List<ResultRow>();
        var clock = Stopwatch.StartNew();
        foreach (IScenario scenario in command.Scenarios)
        {
            log.WriteLine($"{scenario.Name}:");
            int first = rows.Count;
            try
            {
                scenario.Run(new BenchContext(scenario.Name, command.Quick, rows, log));
            }
            catch (Exception ex)
            {
                log.WriteLine($"error: scenario '{scenario.Name}' failed: {ex}");
                return ExitFailed;
            }

            TableWriter.Write(output, rows[first..]);
        }

        output.WriteLine();
        output.WriteLine($"{rows.Count} rows in {clock.Elapsed.TotalSeconds:N1} s");
        if (command.JsonPath is not null)
        {
            JsonReport.Write(command.JsonPath, rows);
            output.WriteLine($"wrote {command.JsonPath}");
        }

        return ExitOk;
    }

    private static void WriteHelp(TextWriter output)
    {
        output.WriteLine(CommandLine.Usage);
        output.WriteLine("Scenarios (none given, or 'all': every one):");
        foreach (IScenario scenario in ScenarioCatalog.All)
        {
            output.WriteLine($"  {scenario.Name,-12} {scenario.Description}");
        }

        output.WriteLine("  --quick      shorter warm-up and batches; the whole run finishes in well under 60 s");
        output.WriteLine("  --json PATH  also write the rows as a JSON array of {scenario, case, metric, value, unit}");
    }

    // Other work on the machine moves the figures; say how busy it was (Linux only).
    private static string LoadAverage()
    {
        const string path = "/proc/loadavg";
        if (!File.Exists(path))
        {
            return "";
        }

        string[] fields = File.ReadAllText(path).Split(' ');
        return fields.Length >= 3 ? $", load average {fields[0]} {fields[1]} {fields[2]}" : "";
    }

    private static void WriteEnvironment(TextWriter output, bool quick)
    {
        output.WriteLine(
            $".NET {Environment.Version}, {RuntimeInformation.OSDescription.Trim()}, {RuntimeInformation.ProcessArchitecture}, " +
            $"{Environment.ProcessorCount} logical cores, {(GCSettings.IsServerGC ? "server" : "workstation")} GC, " +
            $"{(quick ? "quick" : "full")} run{LoadAverage()}");
        if (Assembly.GetExecutingAssembly().GetCustomAttribute<DebuggableAttribute>()?.IsJITOptimizerDisabled == true)
        {
            output.WriteLine("WARNING: this is a Debug build; the figures mean nothing. Run with -c Release.");
        }
    }
}
