using System.Diagnostics;
using Hypha.Bench.Scenarios.Rpc;
using Hypha.Client;
using Hypha.Client.Rpc;
using Hypha.Client.Services;
using Hypha.Server;
using Hypha.Transport.Multiplexing;

namespace Hypha.Bench.Scenarios.Hol;

/// <summary>
/// One case of the head-of-line scenario: its own server, a native provider and a native consumer (tcp://), with
/// priorities on or off everywhere. Times small <c>add</c> calls, one in flight, for as long as the consumer's one
/// large byte array takes to reach the provider's <c>sink</c> over the same connections (or with nothing else running).
/// </summary>
internal static class HolCase
{
    public static async Task<double[]> RunAsync(bool prioritize, bool withTransfer, HolSettings settings, TextWriter log)
    {
        // Shared memory off: the transfer must compete for the connection (the bulk scenario measures shared memory).
        var native = new MultiplexerOptions { Prioritize = prioritize, SharedMemory = new() { Enabled = false } };
        await using HyphaServer server = await HyphaServer.StartAsync(new HyphaServerOptions { Port = 0, Native = native }).ConfigureAwait(false);
        string url = server.NativeUrl;
        await using HyphaClient provider = await HyphaClient.ConnectAsync(new HyphaClientOptions { ServerUrl = url, ClientId = "hol-provider", Native = native })
            .ConfigureAwait(false);
        ServiceRegistration service = await provider.RegisterServiceAsync(new ServiceBuilder("hol")
            .Visibility(ServiceVisibility.Public)
            .Add("add", (int a, int b) => a + b)
            .Add("sink", (byte[] data) => data.Length)).ConfigureAwait(false);
        await using HyphaClient consumer = await HyphaClient.ConnectAsync(new HyphaClientOptions
        {
            ServerUrl = url,
            ClientId = "hol-consumer",
            Native = native,
            MethodTimeout = TimeSpan.FromMinutes(2),
        }).ConfigureAwait(false);
        RemoteService hol = await consumer.GetServiceAsync(service.Id).ConfigureAwait(false);
        RemoteFunction add = hol.GetFunction("add");

        for (int i = 0; i < 500; i++)
        {
            await DotNetRpcDriver.CheckAddAsync(add).ConfigureAwait(false); // warm the call path before timing it
        }

        // Idle: a fixed number of calls. With a transfer: calls one after another for exactly as long as one transfer
        // takes, from the moment it is sent until the provider has received all of it.
        var micros = new List<double>(settings.Calls);
        TimeSpan pausedBefore = GC.GetTotalPauseDuration();
        int gen2Before = GC.CollectionCount(2);
        Task transfer = withTransfer ? TransferAsync(hol.GetFunction("sink"), settings.TransferBytes, log) : Task.CompletedTask;
        long deadline = Stopwatch.GetTimestamp() + (long)(settings.MaxPerCase.TotalSeconds * Stopwatch.Frequency);
        while ((withTransfer ? !transfer.IsCompleted : micros.Count < settings.Calls) && Stopwatch.GetTimestamp() < deadline)
        {
            long start = Stopwatch.GetTimestamp();
            await DotNetRpcDriver.CheckAddAsync(add).ConfigureAwait(false);
            micros.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
        }

        await transfer.ConfigureAwait(false);
        log.WriteLine($"    GC while timing: {GC.CollectionCount(2) - gen2Before} full collections, " +
            $"{(GC.GetTotalPauseDuration() - pausedBefore).TotalMilliseconds:0} ms paused in all");
        return [.. micros];
    }

    private static async Task TransferAsync(RemoteFunction sink, int size, TextWriter log)
    {
        byte[] payload = new byte[size];
        Random.Shared.NextBytes(payload);
        var clock = Stopwatch.StartNew();
        int received = await sink.InvokeAsync<int>(payload).ConfigureAwait(false);
        if (received != size)
        {
            throw new InvalidOperationException($"sink received {received} bytes instead of {size}.");
        }

        log.WriteLine($"    one transfer of {size / (1024.0 * 1024):0} MiB in {clock.Elapsed.TotalSeconds:0.0} s ({size / clock.Elapsed.TotalSeconds / 1e6:0} MB/s)");
    }
}
