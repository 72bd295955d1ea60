using Hypha.Client;
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

    /// <summary>The same load through a generated proxy.</summary>
    public static Task WarmUpTypedAsync(string caseName, Typed.IBenchService proxy, RpcSettings settings, TextWriter log) =>
        CallLoad.WarmUpAsync(caseName, () => CheckTypedAddAsync(proxy), settings, log);

    /// <summary>The same load through a generated proxy.</summary>
    public static Task<RpcFigures> RunTypedAsync(string caseName, Typed.IBenchService proxy, RpcSettings settings) =>
        CallLoad.MeasureAsync(caseName, () => CheckTypedAddAsync(proxy), settings);

    /// <summary>Warms the record call of a generated proxy until throughput is stable.</summary>
    public static Task WarmUpRecordAsync(string caseName, Typed.IBenchService proxy, RpcSettings settings, TextWriter log) =>
        CallLoad.WarmUpAsync(caseName, () => CheckEchoAsync(proxy), settings, log);

    /// <summary>The load of the record call: a record in, the same record out.</summary>
    public static Task<RpcFigures> RunRecordAsync(string caseName, Typed.IBenchService proxy, RpcSettings settings) =>
        CallLoad.MeasureAsync(caseName, () => CheckEchoAsync(proxy), settings);

    /// <summary>The bytes one record call puts on <paramref name="consumer"/>'s native connection, both ways: the mean of 200 calls, one at a time.</summary>
    public static async Task<double> RecordBytesPerCallAsync(HyphaClient consumer, Typed.IBenchService proxy)
    {
        const int Calls = 200;
        Hypha.Transport.Multiplexing.MultiplexerStatistics before = consumer.NativeStatistics!.Value;
        for (int i = 0; i < Calls; i++)
        {
            await CheckEchoAsync(proxy).ConfigureAwait(false);
        }

        Hypha.Transport.Multiplexing.MultiplexerStatistics after = consumer.NativeStatistics!.Value;
        return (after.BytesSent - before.BytesSent + after.BytesReceived - before.BytesReceived) / (double)Calls;
    }

    /// <summary>Echoes a reading through the proxy and fails loudly unless it comes back whole.</summary>
    public static async Task CheckEchoAsync(Typed.IBenchService proxy)
    {
        Typed.BenchReading echoed = await proxy.EchoAsync(Reading).ConfigureAwait(false);
        if (echoed.SensorName != Reading.SensorName || echoed.Value != Reading.Value || echoed.At != Reading.At || !echoed.Tags.SequenceEqual(Reading.Tags))
        {
            throw new InvalidOperationException("echo(reading) through the typed proxy did not return the reading.");
        }
    }

    // The record of the record/binary and record/msgpack cases.
    private static readonly Typed.BenchReading Reading = new("thermometer-7", 21.5, 1_764_460_800_000L, ["kitchen", "calibrated"]);

    /// <summary>Calls <c>add(1, 2)</c> through the proxy and fails loudly unless it returns 3.</summary>
    public static async Task CheckTypedAddAsync(Typed.IBenchService proxy)
    {
        if (await proxy.AddAsync(1, 2).ConfigureAwait(false) != 3)
        {
            throw new InvalidOperationException("add(1, 2) through the typed proxy did not return 3.");
        }
    }

    /// <summary>Calls <c>add(1, 2)</c> and fails loudly unless it returns 3: every timed call checks its result.</summary>
    public static async Task CheckAddAsync(RemoteFunction add)
    {
        if (await add.InvokeAsync<int>(1, 2).ConfigureAwait(false) != 3)
        {
            throw new InvalidOperationException("add(1, 2) did not return 3.");
        }
    }
}
