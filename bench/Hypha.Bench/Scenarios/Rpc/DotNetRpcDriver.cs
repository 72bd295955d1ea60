using Hypha.Client.Rpc;

namespace Hypha.Bench.Scenarios.Rpc;

/// <summary>Drives <c>add(1, 2)</c> through our client: throughput with many calls in flight, then latency with one.</summary>
internal static class DotNetRpcDriver
{
    /// <summary>
    /// Warms until throughput is stable. This warms the whole path — server and provider included — before any peer
    /// that goes through our server is measured, so that no peer pays for the others' JIT.
    /// </summary>
    public static Task WarmUpAsync(string caseName, RemoteFunction add, RpcSettings settings, TextWriter log) =>
        CallLoad.WarmUpAsync(caseName, () => CheckAddAsync(add), settings, log);

    public static Task<RpcFigures> RunAsync(string caseName, RemoteFunction add, RpcSettings settings) =>
        CallLoad.MeasureAsync(caseName, () => CheckAddAsync(add), settings);

    /// <summary>Calls <c>add(1, 2)</c> and fails loudly unless it returns 3: every timed call checks its result.</summary>
    public static async Task CheckAddAsync(RemoteFunction add)
    {
        if (await add.InvokeAsync<int>(1, 2).ConfigureAwait(false) != 3)
        {
            throw new InvalidOperationException("add(1, 2) did not return 3.");
        }
    }
}
