using Hypha.Bench.Harness;
using Hypha.Client;
using Hypha.Client.Rpc;
using Hypha.Client.Services;
using Hypha.Server;

namespace Hypha.Bench.Scenarios.Rpc;

/// <summary>
/// Small unary calls, <c>add(1, 2)</c> on a C# service, through our hypha server on loopback. Peers side by side in
/// one run: <c>hypha-ws</c> (our client) and <c>js-hypha-ws</c> (the npm hypha-rpc client, run by Node), both calling
/// the same service through the same server. calls_per_s with 64 calls in flight; p50/p99 with one.
/// </summary>
internal sealed class RpcScenario : IScenario
{
    public string Name => "rpc";

    public string Description => "small unary calls through the server: hypha-ws (ours) vs js-hypha-ws (npm client)";

    public void Run(BenchContext context) => RunAsync(context).GetAwaiter().GetResult();

    private static async Task RunAsync(BenchContext context)
    {
        RpcSettings settings = context.Quick ? RpcSettings.Quick : RpcSettings.Full;
        await using HyphaServer server = await HyphaServer.StartAsync(new HyphaServerOptions { Port = 0 }).ConfigureAwait(false);
        await using HyphaClient provider = await HyphaClient.ConnectAsync(new HyphaClientOptions { ServerUrl = server.BaseUrl, ClientId = "bench-provider" })
            .ConfigureAwait(false);
        ServiceRegistration service = await provider.RegisterServiceAsync(new ServiceBuilder("bench")
            .Visibility(ServiceVisibility.Public)
            .Add("add", (int a, int b) => a + b)).ConfigureAwait(false);

        RpcFigures ours;
        await using (HyphaClient consumer = await HyphaClient.ConnectAsync(new HyphaClientOptions { ServerUrl = server.BaseUrl, ClientId = "bench-consumer" })
            .ConfigureAwait(false))
        {
            RemoteFunction add = (await consumer.GetServiceAsync(service.Id).ConfigureAwait(false)).GetFunction("add");
            await DotNetRpcDriver.WarmUpAsync(add, settings, context.Log).ConfigureAwait(false);
            ours = await DotNetRpcDriver.RunAsync(add, settings).ConfigureAwait(false);
        }

        RpcFigures node = await NodeRpcDriver.RunAsync(server.BaseUrl, service.Id, settings).ConfigureAwait(false);

        Emit(context, "hypha-ws", ours);
        Emit(context, "js-hypha-ws", node);
        context.Emit("hypha-ws", Metrics.Ratio, ours.CallsPerSecond / node.CallsPerSecond, "x calls_per_s of js-hypha-ws");
        context.Emit("hypha-ws/p99", Metrics.Ratio, ours.P99Micros / node.P99Micros, "x p99_us of js-hypha-ws");
    }

    private static void Emit(BenchContext context, string caseName, RpcFigures figures)
    {
        context.Emit(caseName, Metrics.CallsPerSecond, figures.CallsPerSecond);
        context.Emit(caseName, Metrics.P50Micros, figures.P50Micros);
        context.Emit(caseName, Metrics.P99Micros, figures.P99Micros);
    }
}
