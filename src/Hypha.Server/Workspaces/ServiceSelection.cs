namespace Hypha.Server.Workspaces;

/// <summary>
/// Picks one service among those a query matched, by the <c>mode</c> of get_service's config. The load- and
/// function-based modes of hypha (<c>min_load</c>, <c>native:random</c>, <c>select:…</c>) need calls to the
/// providers, so they are the manager's business and rejected here.
/// </summary>
internal static class ServiceSelection
{
    private const int ExamplesInError = 5;

    public enum Mode
    {
        Exact,
        Random,
        First,
        Last,
    }

    /// <summary>The mode to use; without one, hypha picks <c>random</c> in the <c>public</c> workspace (served by many servers) and <c>exact</c> elsewhere.</summary>
    public static Mode Parse(string? mode, string workspace) => mode switch
    {
        null => workspace == "public" ? Mode.Random : Mode.Exact,
        "exact" => Mode.Exact,
        "random" => Mode.Random,
        "first" => Mode.First,
        "last" => Mode.Last,
        _ => throw ServiceRegistryException.Invalid(
            $"Invalid mode: '{mode}'. Mode must be 'exact', 'random', 'first' or 'last'."),
    };

    /// <summary>Picks from a non-empty list in registration order.</summary>
    public static RegisteredService Pick(List<RegisteredService> candidates, Mode mode, Random random, ServiceLookup query) => mode switch
    {
        Mode.Exact when candidates.Count == 1 => candidates[0],
        Mode.Exact => throw new ServiceRegistryException(
            ServiceRegistryErrorKind.Ambiguous,
            $"Multiple services found for {query}, e.g. {string.Join(", ", candidates.Take(ExamplesInError).Select(s => s.Id))}. You can either specify the mode as 'random', 'first' or 'last', or give the full id 'workspace/client_id:service_id'."),
        Mode.Random => candidates[random.Next(candidates.Count)],
        Mode.First => candidates[0],
        _ => candidates[^1],
    };
}
