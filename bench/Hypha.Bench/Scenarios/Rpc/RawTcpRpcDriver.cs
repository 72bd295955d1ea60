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

    private static async Task Check(RawTcpCaller caller)
    {
        int sum = await caller.AddAsync(1, 2).ConfigureAwait(false);
        if (sum != 3)
        {
            throw new InvalidOperationException($"raw-tcp: add(1, 2) returned {sum}, not 3.");
        }
    }
}
