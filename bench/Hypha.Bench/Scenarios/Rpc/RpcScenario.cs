using Hypha.Bench.Harness;
using Hypha.Client;
using Hypha.Client.Rpc;
using Hypha.Client.Services;
using Hypha.Server;

namespace Hypha.Bench.Scenarios.Rpc;

/// <summary>
/// Small unary calls, <c>add(1, 2)</c>. Peers side by side in one run: <c>hypha-ws</c> (our client) and
/// <c>js-hypha-ws</c> (the npm hypha-rpc client, run by Node), both calling the same C# service through the same
/// hypha server on loopback; then two baselines, <c>raw-tcp</c> (the same routed trip in plain socket messages, the
/// floor) and <c>aspnet-http</c> (JSON over HTTP to Kestrel, the common .NET choice). calls_per_s with 64 calls in
/// flight; p50/p99 with one.
/// </summary>
internal sealed class RpcScenario : IScenario
{
    public string Name => "rpc";

    public string Description =>
        "small unary calls: hypha-ws (ours) vs js-hypha-ws (npm client) through our server; raw-tcp and aspnet-http baselines";

    public void Run(BenchContext context) => RunAsync(context).GetAwaiter().GetResult();

    private static async Task RunAsync(BenchContext context)
    {
        RpcSettings settings = context.Quick ? RpcSettings.Quick : RpcSettings.Full;
        var results = new RpcResults(context);
        await RunThroughOurServerAsync(settings, results, context.Log).ConfigureAwait(false);
        results.Add(RpcCases.RawTcp, await RawTcpRpcDriver.RunAsync(settings, context.Log).ConfigureAwait(false));
        results.Add(RpcCases.AspNetHttp, await AspNetHttpRpcDriver.RunAsync(settings, context.Log).ConfigureAwait(false));

        results.EmitFigures();
        results.EmitRatio(RpcCases.HyphaWs, RpcCases.HyphaWs, Metrics.CallsPerSecond, RpcCases.JsHyphaWs);
        results.EmitRatio($"{RpcCases.HyphaWs}/p99", RpcCases.HyphaWs, Metrics.P99Micros, RpcCases.JsHyphaWs);
        results.EmitRatio($"{RpcCases.HyphaWs}/vs-{RpcCases.AspNetHttp}", RpcCases.HyphaWs, Metrics.CallsPerSecond, RpcCases.AspNetHttp);
        results.EmitRatio($"{RpcCases.HyphaWs}/p50", RpcCases.HyphaWs, Metrics.P50Micros, RpcCases.RawTcp);
        results.EmitRatio(RpcCases.AspNetHttp, RpcCases.AspNetHttp, Metrics.CallsPerSecond, RpcCases.JsHyphaWs);
    }

    // hypha-ws and js-hypha-ws: one server and one provider for both, stopped before the baselines run.
    private static async Task RunThroughOurServerAsync(RpcSettings settings, RpcResults results, TextWriter log)
    {
        await using HyphaServer server = await HyphaServer.StartAsync(new HyphaServerOptions { Port = 0 }).ConfigureAwait(false);
        await using HyphaClient provider = await HyphaClient.ConnectAsync(new HyphaClientOptions { ServerUrl = server.BaseUrl, ClientId = "bench-provider" })
            .ConfigureAwait(false);
        ServiceRegistration service = await provider.RegisterServiceAsync(new ServiceBuilder("bench")
            .Visibility(ServiceVisibility.Public)
            .Add("add", (int a, int b) => a + b)).ConfigureAwait(false);

        await using (HyphaClient consumer = await HyphaClient.ConnectAsync(new HyphaClientOptions { ServerUrl = server.BaseUrl, ClientId = "bench-consumer" })
            .ConfigureAwait(false))
        {
            RemoteFunction add = (await consumer.GetServiceAsync(service.Id).ConfigureAwait(false)).GetFunction("add");
            await DotNetRpcDriver.WarmUpAsync(add, settings, log).ConfigureAwait(false);
            results.Add(RpcCases.HyphaWs, await DotNetRpcDriver.RunAsync(add, settings).ConfigureAwait(false));
        }

        results.Add(RpcCases.JsHyphaWs, await NodeRpcDriver.RunAsync(server.BaseUrl, service.Id, settings).ConfigureAwait(false));
    }
}
