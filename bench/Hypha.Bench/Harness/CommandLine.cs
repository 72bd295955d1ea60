namespace Hypha.Bench.Harness;

/// <summary>The parsed command line: <c>[scenario ...] [--quick] [--json out.json]</c>.</summary>
internal sealed record CommandLine(IReadOnlyList<IScenario> Scenarios, bool Quick, string? JsonPath, bool Help)
{
    public const string Usage =
        "usage: dotnet run -c Release --project bench/Hypha.Bench -- [scenario ...] [--quick] [--json out.json]";

    /// <summary>Parses the arguments, or returns an error message.</summary>
    public static CommandLine Parse(IReadOnlyList<string> args, out string? error)
    {
        ArgumentNullException.ThrowIfNull(args);
        error = null;
        var scenarios = new List<IScenario>();
        bool quick = false;
        bool help = false;
        string? json = null;
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            switch (arg)
            {
                case "--quick":
                    quick = true;
                    break;
                case "--json":
                    if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                    {
                        error = "--json needs a file name.";
                        return Empty;
                    }

                    json = args[++i];
                    break;
                case "-h" or "--help":
                    help = true;
                    break;
                case ScenarioCatalog.AllName:
                    scenarios.AddRange(ScenarioCatalog.All);
                    break;
                default:
                    if (arg.StartsWith('-'))
                    {
                        error = $"Unknown option '{arg}'.";
                        return Empty;
                    }

                    if (ScenarioCatalog.Find(arg) is not { } scenario)
                    {
                        error = $"Unknown scenario '{arg}'. Known scenarios: {KnownNames()}.";
                        return Empty;
                    }

                    scenarios.Add(scenario);
                    break;
            }
        }

        IReadOnlyList<IScenario> selected = scenarios.Count == 0 ? ScenarioCatalog.All : [.. scenarios.Distinct()];
        return new CommandLine(selected, quick, json, help);
    }

    /// <summary>The scenario names for messages, <c>all</c> included.</summary>
    public static string KnownNames() =>
        string.Join(", ", ScenarioCatalog.All.Select(s => s.Name).Append(ScenarioCatalog.AllName));

    private static CommandLine Empty => new([], false, null, false);
}
