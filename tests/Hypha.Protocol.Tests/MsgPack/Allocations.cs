namespace Hypha.Protocol.Tests.MsgPack;

/// <summary>Measures the managed bytes one run of an action allocates on this thread, after warming it up.</summary>
internal static class Allocations
{
    /// <summary>
    /// The fewest bytes allocated over a few measured runs. An allocation the action makes every time shows in each
    /// run; a one-off of the runtime (a lazy initialisation, tiered compilation under load) does not fail the test.
    /// </summary>
    public static long Measure(Action action, int warmUpRuns = 5, int measuredRuns = 3)
    {
        for (int i = 0; i < warmUpRuns; i++)
        {
            action();
        }

        long fewest = long.MaxValue;
        for (int i = 0; i < measuredRuns; i++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            action();
            fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        return fewest;
    }
}
