namespace Hypha.Bench.Scenarios.Rpc;

/// <summary>
/// The <c>raw-tcp</c> case, the floor of a routed call: the same trip as <c>hypha-ws</c> (caller, relay, provider and
/// back, on loopback, with messages of the same size) in plain length-prefixed socket messages, no RPC framework.
/// </summary>
internal static class RawTcpRpcDriver
{
    public static async Task<RpcFigures> RunAsync(RpcSettings settings, TextWriter log)
    {
        await using RawTcpRoute route = RawTcpRoute.Start();
        await CallLoad.WarmUpAsync(RpcCases.RawTcp, () => Check(route.Caller), settings, log).ConfigureAwait(false);
        return await CallLoad.MeasureAsync(RpcCases.RawTcp, () => Check(route.Caller), settings).ConfigureAwait(false);
    }

    /// <summary>
    /// With <paramref name="call"/>'s case warm and its peers connected, times its p50 against <c>raw-tcp</c>'s in
    /// alternating blocks (<see cref="PairedLatency"/>), on a route of its own warmed by a few thousand calls first.
    /// </summary>
    public static async Task<(double P50, double RawP50)> PairedP50Async(Func<Task> call, RpcSettings settings)
    {
        await using RawTcpRoute route = RawTcpRoute.Start();
        for (int i = 0; i < 2 * settings.LatencyCalls; i++)
        {
            await Check(route.Caller).ConfigureAwait(false);
        }

        return await PairedLatency.MeasureAsync(call, () => Check(route.Caller), settings.LatencyCalls).ConfigureAwait(false);
    }

    private static async Task Check(RawTcpCaller caller)
    {
        int sum = await caller.AddAsync(1, 2).ConfigureAwait(false);
        if (sum != 3)
        {
            throw new InvalidOperationException($"raw-tcp: add(1, 2) returned {sum}, not 3.");
        }
    }
}
