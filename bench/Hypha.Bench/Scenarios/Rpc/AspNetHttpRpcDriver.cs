using System.Net.Http.Json;

namespace Hypha.Bench.Scenarios.Rpc;

/// <summary>
/// The <c>aspnet-http</c> case, what a .NET developer picks today for a small remote call: JSON over HTTP/1.1 to a
/// Kestrel minimal API, through one shared <see cref="HttpClient"/> with its default handler.
/// </summary>
internal static class AspNetHttpRpcDriver
{
    public static async Task<RpcFigures> RunAsync(RpcSettings settings, TextWriter log)
    {
        await using AspNetAddServer server = await AspNetAddServer.StartAsync().ConfigureAwait(false);
        using var client = new HttpClient { BaseAddress = server.BaseAddress };
        await CallLoad.WarmUpAsync(RpcCases.AspNetHttp, () => Check(client), settings, log).ConfigureAwait(false);
        return await CallLoad.MeasureAsync(RpcCases.AspNetHttp, () => Check(client), settings).ConfigureAwait(false);
    }

    /// <summary>
    /// The calls_per_s of <paramref name="call"/> and of aspnet-http counted in alternating blocks, against a Kestrel
    /// server of its own, warmed up first.
    /// </summary>
    public static async Task<(double CallsPerSecond, double AspNetCallsPerSecond)> PairedThroughputAsync(
        string caseName, Func<Task> call, RpcSettings settings, TextWriter log)
    {
        await using AspNetAddServer server = await AspNetAddServer.StartAsync().ConfigureAwait(false);
        using var client = new HttpClient { BaseAddress = server.BaseAddress };
        await CallLoad.WarmUpAsync(RpcCases.AspNetHttp, () => Check(client), settings, log).ConfigureAwait(false);
        return await PairedThroughput.MeasureAsync(caseName, call, RpcCases.AspNetHttp, () => Check(client), settings).ConfigureAwait(false);
    }

    private static async Task Check(HttpClient client)
    {
        using HttpResponseMessage response = await client.PostAsJsonAsync("add", new AddRequest(1, 2), AddJsonContext.Default.AddRequest)
            .ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        AddResponse? answer = await response.Content.ReadFromJsonAsync(AddJsonContext.Default.AddResponse).ConfigureAwait(false);
        if (answer?.Result != 3)
        {
            throw new InvalidOperationException($"aspnet-http: POST /add {{\"a\":1,\"b\":2}} answered {answer?.Result.ToString() ?? "null"}, not 3.");
        }
    }
}
