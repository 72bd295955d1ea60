namespace Hypha.Bench.Scenarios.Rpc;

/// <summary>
/// Runs two measurements in alternating blocks, the first of each pair alternating too, so that both meet the same
/// moments of the machine: on this virtual machine either figure can move by a third, or latency by several times,
/// from one minute to the next.
/// </summary>
internal static class AlternatingBlocks
{
    /// <summary>Runs block 0 to <paramref name="blocks"/> − 1 of each: ours then theirs, then theirs then ours, and so on.</summary>
    public static async Task RunAsync(int blocks, Func<int, Task> ours, Func<int, Task> theirs)
    {
        for (int block = 0; block < blocks; block++)
        {
            if (block % 2 == 0)
            {
                await ours(block).ConfigureAwait(false);
                await theirs(block).ConfigureAwait(false);
            }
            else
            {
                await theirs(block).ConfigureAwait(false);
                await ours(block).ConfigureAwait(false);
            }
        }
    }
}
