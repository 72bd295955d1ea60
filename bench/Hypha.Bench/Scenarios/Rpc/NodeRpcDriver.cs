using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Hypha.Bench.Harness;

namespace Hypha.Bench.Scenarios.Rpc;

/// <summary>Drives the same calls through the npm hypha-rpc client (tests/interop/js/bench-client.mjs).</summary>
internal static class NodeRpcDriver
{
    public static async Task<RpcFigures> RunAsync(string serverUrl, string serviceId, RpcSettings settings)
    {
        string[] common = ["--server-url", serverUrl, "--service", serviceId, "--method", "add",
            "--warmup", Seconds(settings.Warmup)];
        JsonElement throughput = await RunAsync([.. common, "--seconds", Seconds(settings.Throughput),
            "--concurrency", settings.InFlight.ToString(CultureInfo.InvariantCulture)]).ConfigureAwait(false);
        // The latency run is sized by time: roughly as many calls as our client makes at Node's speed.
        JsonElement latency = await RunAsync([.. common, "--latency", "--seconds", Seconds(settings.Throughput)]).ConfigureAwait(false);
        return new RpcFigures(
            throughput.GetProperty("calls_per_s").GetDouble(),
            latency.GetProperty("p50_us").GetDouble(),
            latency.GetProperty("p99_us").GetDouble());
    }

    /// <summary>
    /// Our call and the npm client's, both to <paramref name="serviceId"/>'s <c>add</c>, counted in alternating blocks
    /// (<see cref="PairedThroughput"/>) while both stay connected; returns the calls per second of each.
    /// </summary>
    public static async Task<(double CallsPerSecond, double JsCallsPerSecond)> PairedThroughputAsync(
        string caseName, Func<Task> call, string serverUrl, string serviceId, RpcSettings settings)
    {
        await using NodeBlocks node = await NodeBlocks.StartAsync(serverUrl, serviceId, settings).ConfigureAwait(false);
        return await PairedThroughput.MeasureAsync(block => CallLoad.CountCallsAsync(caseName, call, settings.InFlight, block), node.RunAsync)
            .ConfigureAwait(false);
    }

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString(CultureInfo.InvariantCulture);

    private static async Task<JsonElement> RunAsync(string[] arguments)
    {
        var start = new ProcessStartInfo("node") { WorkingDirectory = RepositoryPaths.InteropJs(), RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("bench-client.mjs");
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process node = Process.Start(start) ?? throw new InvalidOperationException("node could not be started.");
        Task<string> stdout = node.StandardOutput.ReadToEndAsync();
        Task<string> stderr = node.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await node.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
        }
        finally
        {
            if (!node.HasExited)
            {
                node.Kill(entireProcessTree: true);
            }
        }

        string output = await stdout.ConfigureAwait(false);
        if (node.ExitCode != 0)
        {
            throw new InvalidOperationException($"bench-client.mjs failed (exit {node.ExitCode}): {await stderr.ConfigureAwait(false)}");
        }

        string line = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Last();
        return JsonDocument.Parse(line).RootElement.Clone();
    }
}
