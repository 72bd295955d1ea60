using Hypha.Bench.Harness;
using Hypha.Client;
using Hypha.Client.Rpc;
using Hypha.Client.Services;
using Hypha.Server;

namespace Hypha.Bench.Scenarios.Rpc;

/// <summary>
/// Small unary calls, <c>add(1, 2)</c>. Peers side by side in one run, all through the same server on loopback:
/// <c>hypha-ws</c> (our client, WebSocket), <c>native-tcp</c> and <c>native-uds</c> (our client in native mode, each
/// with a provider in the same mode) and <c>js-hypha-ws</c> (the npm hypha-rpc client, run by Node, calling the
/// hypha-ws provider's service), <c>native-typed</c> (the native-tcp call typed on both sides: a generated proxy and a
/// generated dispatcher), <c>native-typed-record</c> and <c>native-typed-record-map</c> (a record in and out through
/// the same typed pair, in its binary form, and from a consumer that keeps maps), and in process <c>dispatch</c> (the generated dispatcher alone); then two baselines, <c>raw-tcp</c> (the same routed trip in plain socket messages, the
/// floor) and <c>aspnet-http</c> (JSON over HTTP to Kestrel, the common .NET choice). calls_per_s with 64 calls in
/// flight; p50/p99 with one.
/// </summary>
internal sealed class RpcScenario : IScenario
{
    public string Name => "rpc";

    public string Description =>
        "small unary calls through our server: hypha-ws, native-tcp, native-uds, native-typed, native-typed-record(-map) (ours) vs js-hypha-ws (npm client); the typed dispatcher alone; raw-tcp and aspnet-http baselines";

    public void Run(BenchContext context) => RunAsync(context).GetAwaiter().GetResult();

    private static async Task RunAsync(BenchContext context)
    {
        RpcSettings settings = context.Quick ? RpcSettings.Quick : RpcSettings.Full;
        var results = new RpcResults(context);
        await RunThroughOurServerAsync(settings, results, context.Log).ConfigureAwait(false);
        Typed.TypedMeasurements.Run(context);
        results.Add(RpcCases.RawTcp, await RawTcpRpcDriver.RunAsync(settings, context.Log).ConfigureAwait(false));
        results.Add(RpcCases.AspNetHttp, await AspNetHttpRpcDriver.RunAsync(settings, context.Log).ConfigureAwait(false));

        results.EmitFigures();
        results.EmitRatio(RpcCases.HyphaWs, RpcCases.HyphaWs, Metrics.CallsPerSecond, RpcCases.JsHyphaWs);
        results.EmitRatio($"{RpcCases.HyphaWs}/p99", RpcCases.HyphaWs, Metrics.P99Micros, RpcCases.JsHyphaWs);
        results.EmitRatio($"{RpcCases.HyphaWs}/vs-{RpcCases.AspNetHttp}", RpcCases.HyphaWs, Metrics.CallsPerSecond, RpcCases.AspNetHttp);
        results.EmitRatio($"{RpcCases.HyphaWs}/p50", RpcCases.HyphaWs, Metrics.P50Micros, RpcCases.RawTcp);
        results.EmitRatio(RpcCases.AspNetHttp, RpcCases.AspNetHttp, Metrics.CallsPerSecond, RpcCases.JsHyphaWs);
        results.EmitRatio(RpcCases.NativeTyped, RpcCases.NativeTyped, Metrics.CallsPerSecond, RpcCases.NativeTcp);
        results.EmitRatio($"{RpcCases.NativeTyped}/p50", RpcCases.NativeTyped, Metrics.P50Micros, RpcCases.NativeTcp);
        results.EmitRatio(RpcCases.NativeTypedRecord, RpcCases.NativeTypedRecord, Metrics.CallsPerSecond, RpcCases.NativeTypedRecordMap);
        results.EmitRatio($"{RpcCases.NativeTypedRecord}/p50", RpcCases.NativeTypedRecord, Metrics.P50Micros, RpcCases.NativeTypedRecordMap);
        foreach (string native in new[] { RpcCases.NativeTcp, RpcCases.NativeUds })
        {
            results.EmitRatio(native, native, Metrics.CallsPerSecond, RpcCases.JsHyphaWs);
            results.EmitRatio($"{native}/vs-{RpcCases.AspNetHttp}", native, Metrics.CallsPerSecond, RpcCases.AspNetHttp);
            results.EmitRatio($"{native}/p50", native, Metrics.P50Micros, RpcCases.RawTcp);
        }

        results.EmitPairedRatios();
    }

    // Our three cases and js-hypha-ws through one server, stopped before the baselines run. Each of our cases has
    // its own provider in its own mode; the npm client calls the hypha-ws provider's service.
    private static async Task RunThroughOurServerAsync(RpcSettings settings, RpcResults results, TextWriter log)
    {
        string socket = Path.Combine(Path.GetTempPath(), $"hypha-bench-{Environment.ProcessId}.sock");
        await using HyphaServer server = await HyphaServer.StartAsync(new HyphaServerOptions { Port = 0, UnixSocketPath = socket }).ConfigureAwait(false);
        int port = new Uri(server.BaseUrl).Port;
        try
        {
            foreach ((string caseName, string url) in new[]
            {
                (RpcCases.HyphaWs, server.BaseUrl),
                (RpcCases.NativeTcp, $"tcp://127.0.0.1:{port}"),
                (RpcCases.NativeUds, $"unix://{socket}"),
            })
            {
                await MeasureOursAsync(caseName, url, settings, results, log).ConfigureAwait(false);
            }

            await MeasureTypedAsync($"tcp://127.0.0.1:{port}", settings, results, log).ConfigureAwait(false);
        }
        finally
        {
            File.Delete(socket);
        }
    }

    // native-typed: the same add(1, 2) as native-tcp, typed on both sides (a generated proxy calling a typed service
    // served by its generated dispatcher), between native clients through the same server.
    private static async Task MeasureTypedAsync(string url, RpcSettings settings, RpcResults results, TextWriter log)
    {
        await using HyphaClient provider = await HyphaClient.ConnectAsync(new HyphaClientOptions { ServerUrl = url, ClientId = $"{RpcCases.NativeTyped}-provider" })
            .ConfigureAwait(false);
        ServiceRegistration service = await provider.RegisterServiceAsync<Typed.IBenchService>(new Typed.BenchService()).ConfigureAwait(false);
        await using HyphaClient consumer = await HyphaClient.ConnectAsync(new HyphaClientOptions { ServerUrl = url, ClientId = $"{RpcCases.NativeTyped}-consumer" })
            .ConfigureAwait(false);
        Typed.IBenchService proxy = await consumer.GetServiceAsync<Typed.IBenchService>(service.Id).ConfigureAwait(false);
        // The server and the transport are warm from native-tcp: in a quick run the typed path gets a shorter minimum
        // warm-up (it still runs until its throughput stops climbing).
        RpcSettings warmUp = settings == RpcSettings.Quick ? settings with { Warmup = TimeSpan.FromSeconds(1) } : settings;
        await DotNetRpcDriver.WarmUpTypedAsync(RpcCases.NativeTyped, proxy, warmUp, log).ConfigureAwait(false);
        results.Add(RpcCases.NativeTyped, await DotNetRpcDriver.RunTypedAsync(RpcCases.NativeTyped, proxy, settings).ConfigureAwait(false));

        await MeasureRecordsAsync(url, service.Id, consumer, proxy, settings, results, log).ConfigureAwait(false);
    }

    // native-typed-record: echo(reading) from the native-typed consumer, which agreed binary records with the provider;
    // native-typed-record-map: the same call from a consumer that keeps records as maps, to the same provider. A full
    // run alternates the two twice and keeps each one's better round, so that a burst of load on the shared machine
    // does not decide the ratio; a quick run measures each once, unwarmed (the server and transport are warm from the
    // cases before), for one second and 500 latency calls.
    private static async Task MeasureRecordsAsync(string url, string serviceId, HyphaClient consumer, Typed.IBenchService proxy, RpcSettings settings,
        RpcResults results, TextWriter log)
    {
        if (((Typed.IBenchServiceHypha.Proxy)proxy).Remote.BinaryRecords is null)
        {
            throw new InvalidOperationException("The native typed proxy did not agree binary records with the typed service.");
        }

        await using HyphaClient mapConsumer = await HyphaClient.ConnectAsync(new HyphaClientOptions
        {
            ServerUrl = url,
            ClientId = $"{RpcCases.NativeTypedRecordMap}-consumer",
            BinaryRecords = false,
        }).ConfigureAwait(false);
        Typed.IBenchService mapProxy = await mapConsumer.GetServiceAsync<Typed.IBenchService>(serviceId).ConfigureAwait(false);
        bool quick = settings == RpcSettings.Quick;
        RpcSettings records = quick
            ? settings with { Throughput = TimeSpan.FromSeconds(1), LatencyCalls = 500 }
            : settings;
        var pair = new[] { (Case: RpcCases.NativeTypedRecord, Client: consumer, Proxy: proxy), (Case: RpcCases.NativeTypedRecordMap, Client: mapConsumer, Proxy: mapProxy) };
        var best = new Dictionary<string, RpcFigures>();
        foreach ((string caseName, _, Typed.IBenchService caller) in quick ? [] : pair)
        {
            await DotNetRpcDriver.WarmUpRecordAsync(caseName, caller, records, log).ConfigureAwait(false);
        }

        for (int round = 0; round < (quick ? 1 : 2); round++)
        {
            foreach ((string caseName, _, Typed.IBenchService caller) in pair)
            {
                RpcFigures figures = await DotNetRpcDriver.RunRecordAsync(caseName, caller, records).ConfigureAwait(false);
                log.WriteLine($"    {caseName} round {round + 1}: {figures.CallsPerSecond:N0} calls/s, p50 {figures.P50Micros:N1} us");
                if (!best.TryGetValue(caseName, out RpcFigures? kept) || figures.CallsPerSecond > kept.CallsPerSecond)
                {
                    best[caseName] = figures;
                }
            }
        }

        foreach ((string caseName, HyphaClient client, Typed.IBenchService caller) in pair)
        {
            results.Add(caseName, best[caseName]);
            results.AddBytesPerCall(caseName, await DotNetRpcDriver.RecordBytesPerCallAsync(client, caller).ConfigureAwait(false));
        }
    }

    // One of our cases: a provider and a consumer in the same mode. The npm client runs while the hypha-ws provider
    // is still connected, against its service.
    private static async Task MeasureOursAsync(string caseName, string url, RpcSettings settings, RpcResults results, TextWriter log)
    {
        await using HyphaClient provider = await HyphaClient.ConnectAsync(new HyphaClientOptions { ServerUrl = url, ClientId = $"{caseName}-provider" })
            .ConfigureAwait(false);
        ServiceRegistration service = await provider.RegisterServiceAsync(new ServiceBuilder("bench")
            .Visibility(ServiceVisibility.Public)
            .Add("add", (int a, int b) => a + b)).ConfigureAwait(false);
        await using (HyphaClient consumer = await HyphaClient.ConnectAsync(new HyphaClientOptions { ServerUrl = url, ClientId = $"{caseName}-consumer" })
            .ConfigureAwait(false))
        {
            RemoteFunction add = (await consumer.GetServiceAsync(service.Id).ConfigureAwait(false)).GetFunction("add");
            await DotNetRpcDriver.WarmUpAsync(caseName, add, settings, log).ConfigureAwait(false);
            results.Add(caseName, await DotNetRpcDriver.RunAsync(caseName, add, settings).ConfigureAwait(false));
            if (caseName == RpcCases.HyphaWs && settings != RpcSettings.Quick)
            {
                // The 5 x npm goal, counted in alternating blocks as well: our client and Node's are timed seconds
                // apart in the sequential rows, and the host's speed moves more than that ratio's margin in that time.
                (double ours, double js) = await NodeRpcDriver.PairedThroughputAsync(caseName, () => DotNetRpcDriver.CheckAddAsync(add), url, service.Id, settings)
                    .ConfigureAwait(false);
                results.AddPairedThroughput(caseName, ours, RpcCases.JsHyphaWs, js);
            }
            if (caseName == RpcCases.NativeTcp)
            {
                // The p50 goal against raw-tcp, also timed in alternating blocks: the sequential figures meet the
                // machine minutes apart.
                (double p50, double rawP50) = await RawTcpRpcDriver.PairedP50Async(() => DotNetRpcDriver.CheckAddAsync(add), settings)
                    .ConfigureAwait(false);
                results.AddPairedP50(caseName, p50, rawP50);
                if (settings != RpcSettings.Quick)
                {
                    // The 3 x aspnet-http goal, counted in alternating blocks too (full runs only: the blocks and
                    // aspnet-http's warm-up would take the quick run over its minute).
                    (double ours, double aspNet) = await AspNetHttpRpcDriver.PairedThroughputAsync(caseName, () => DotNetRpcDriver.CheckAddAsync(add), settings, log)
                        .ConfigureAwait(false);
                    results.AddPairedThroughput(caseName, ours, RpcCases.AspNetHttp, aspNet);
                }
            }
        }

        if (caseName == RpcCases.HyphaWs)
        {
            results.Add(RpcCases.JsHyphaWs, await NodeRpcDriver.RunAsync(url, service.Id, settings).ConfigureAwait(false));
        }
    }
}
