using System.Text.Json;
using Hypha.Client;
using Hypha.Client.Rpc;
using Hypha.Client.Services;
using Hypha.Client.Typed;
using Hypha.Interop.Tests.Infrastructure;
using Hypha.Protocol.MsgPack;
using Xunit.Abstractions;

namespace Hypha.Interop.Tests.Live;

/// <summary>
/// Typed services through our server: a typed C# proxy calls a typed C# service, the npm client calls the typed C#
/// service (and sees its schema), and a typed C# proxy calls the npm client's js-svc. Here the C# side is in hypha
/// mode (WebSocket); <see cref="NativeTypedServiceTests"/> runs the same in native mode.
/// </summary>
public class TypedServiceTests(ITestOutputHelper output) : LiveTestBase(output)
{
    private async Task<(HyphaClient Provider, LiveService Service, string ServiceId)> StartTypedProviderAsync()
    {
        HyphaClient provider = await ConnectAsync("typed-prov");
        var service = new LiveService();
        ServiceRegistration registration = await provider.RegisterServiceAsync<ILiveService>(service);
        Log($"typed-svc registered as {registration.Id}");
        return (provider, service, registration.Id);
    }

    [Fact]
    public async Task A_typed_proxy_calls_a_typed_service_through_the_server()
    {
        (_, LiveService service, string serviceId) = await StartTypedProviderAsync();
        HyphaClient consumer = await ConnectAsync("typed-cons");
        ILiveService proxy = await consumer.GetServiceAsync<ILiveService>(serviceId);

        // Between two native peers the records of this contract travel in binary form; in hypha mode, as maps.
        Assert.Equal(consumer.NativeAgreement is null ? null : HyphaServices.Describe<ILiveService>().RecordsFingerprint,
            ((ILiveServiceHypha.Proxy)proxy).Remote.BinaryRecords);
        Assert.Equal(42, await proxy.AddAsync(40, 2));
        Assert.Equal("pens:3", await proxy.DescribeAsync("pens"));
        Reading calibrated = await proxy.CalibrateAsync(new Reading("t1", 1.5, ["raw"]));
        Assert.Equal(new[] { "raw", "calibrated" }, calibrated.Tags);
        Assert.Equal(3.0, calibrated.Value);
        var counted = new List<int>();
        await foreach (int i in proxy.CountAsync(4))
        {
            counted.Add(i);
        }

        Assert.Equal([0, 1, 2, 3], counted);
        Assert.Equal(new long[] { 10, 20, 30 }, await proxy.CallBackAsync(i => Task.FromResult(i * 10L), 3));
        Assert.Equal(6, await proxy.SumStreamAsync(Numbers(3)));
        var failure = await Assert.ThrowsAsync<RemoteException>(() => proxy.FailAsync("typed boom"));
        Assert.Equal("typed boom", failure.Message);
        Assert.Equal($"hi {consumer.Workspace}/{consumer.ClientId} {consumer.Workspace}", await proxy.WhoAmIAsync("hi"));

        using var cancel = new CancellationTokenSource();
        Task<string> waiting = proxy.WaitAsync(60_000, cancel.Token);
        await service.WaitStarted.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        Assert.True(await service.WaitCancelled.Task.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task The_npm_client_calls_a_typed_service_and_sees_its_schema()
    {
        (_, _, string serviceId) = await StartTypedProviderAsync();
        NodePeer js = await StartPeerAsync("js-cons");
        Task<JsonElement> Call(string method, object?[] args, object? kwargs = null) => kwargs is null
            ? js.SendAsync(new { op = "call", service = serviceId, method, args })
            : js.SendAsync(new { op = "call", service = serviceId, method, args, kwargs });

        Assert.Equal(5, (await Call("add", [2, 3])).GetInt32());
        Assert.Equal("pens:7", (await Call("describe", [], new { item_name = "pens", max_items = 7 })).GetString());
        Assert.Equal("cups:3", (await Call("describe", ["cups"])).GetString());
        string jsWorkspace = js.Address.Split('/')[0];
        Assert.Equal($"hey {js.Address} {jsWorkspace}", (await Call("who_am_i", ["hey"])).GetString());
        Assert.Equal($"yo {js.Address} {jsWorkspace}", (await Call("who_am_i", [], new { greeting = "yo" })).GetString());

        JsonElement reading = await Call("calibrate", [new { sensor_name = "t1", value = 2.5, tags = new[] { "raw" } }]);
        Assert.Equal("t1", reading.GetProperty("sensor_name").GetString());
        Assert.Equal(5.0, reading.GetProperty("value").GetDouble());
        Assert.Equal("calibrated", reading.GetProperty("tags")[1].GetString());

        Assert.Equal(new long[] { 0, 1, 2 }, LiveKit.ReadLongs(await js.SendAsync(new { op = "iterate", service = serviceId, method = "count", args = new[] { 3 } })));
        JsonElement called = await js.SendAsync(new { op = "call_with_callback", service = serviceId, method = "call_back", n = 3 });
        Assert.Equal(new long[] { 10, 20, 30 }, LiveKit.ReadLongs(called.GetProperty("result")));
        JsonElement streamed = await js.SendAsync(new { op = "call_with_stream", service = serviceId, method = "sum_stream", n = 4 });
        Assert.Equal(10, streamed.GetProperty("result").GetInt32());

        JsonElement error = await js.SendAsync(new { op = "call_expect_error", service = serviceId, method = "add", args = new object[] { "x", 1 } });
        Assert.Contains("add: argument 'a'", error.GetProperty("error").GetString(), StringComparison.Ordinal);

        JsonElement schema = await js.SendAsync(new { op = "service_schema", service = serviceId, method = "add" });
        Assert.Equal("The typed C# service of the live tests", schema.GetProperty("description").GetString());
        JsonElement add = schema.GetProperty("service_schema").GetProperty("add").GetProperty("function");
        Assert.Equal("Adds two integers.", add.GetProperty("description").GetString());
        Assert.Equal("The first integer.", add.GetProperty("parameters").GetProperty("properties").GetProperty("a").GetProperty("description").GetString());
        JsonElement calibrate = schema.GetProperty("service_schema").GetProperty("calibrate").GetProperty("function");
        JsonElement fields = calibrate.GetProperty("parameters").GetProperty("properties").GetProperty("reading").GetProperty("properties");
        Assert.Equal("The sensor.", fields.GetProperty("sensor_name").GetProperty("description").GetString());
        Assert.Equal("Adds two integers.", schema.GetProperty("function_schema").GetProperty("description").GetString());
    }

    [Fact]
    public async Task A_typed_proxy_calls_the_npm_clients_service()
    {
        (NodePeer js, string serviceId) = await StartJsProviderAsync();
        HyphaClient consumer = await ConnectAsync("typed-cons");
        IJsService svc = await consumer.GetServiceAsync<IJsService>(serviceId);

        Assert.Equal(5, await svc.AddAsync(2, 3));
        Assert.Equal("Hi, Ada!", await svc.GreetAsync("Ada", "Hi"));
        Assert.Equal(new long[] { 10, 20, 30 }, await svc.CallBackAsync(i => Task.FromResult(i * 10L), 3));
        var counted = new List<int>();
        await foreach (int i in svc.CountAsync(3))
        {
            counted.Add(i);
        }

        Assert.Equal([0, 1, 2], counted);
        Assert.Equal(15, await svc.SumStreamAsync(Numbers(5)));
        Assert.Equal(new byte[] { 3, 2, 1 }, await svc.ReverseBytesAsync([1, 2, 3]));
        Assert.Equal(new Checksum(3, 6), await svc.ChecksumAsync([1, 2, 3]));
        Reading echoed = await svc.EchoAsync(new Reading("t9", 0.25, ["a", "b"]));
        Assert.Equal("t9", echoed.SensorName);
        Assert.Equal(["a", "b"], echoed.Tags);
        Assert.Equal("Object", await svc.TypeOfAsync(new Reading("t9", 1, [])));
        var failure = await Assert.ThrowsAsync<RemoteException>(() => svc.FailAsync("js boom"));
        Assert.Contains("js boom", failure.Message, StringComparison.Ordinal);

        // The record reached JS as a plain object with snake_case keys: echo through the tagged JSON channel shows them.
        JsonElement stats = await JsStatsAsync(js);
        Assert.Equal(1, stats.GetProperty("calls").GetProperty("echo").GetInt32());
    }

    // Reading("t1", 1.5, ["raw"]) in its binary form: "t1", 1.5 as a little-endian float64, one tag "raw".
    private static readonly byte[] RawReading = [0x02, (byte)'t', (byte)'1', 0, 0, 0, 0, 0, 0, 0xf8, 0x3f, 0x01, 0x03, (byte)'r', (byte)'a', (byte)'w'];

    // Reading("t1", 3, ["raw", "calibrated"]).
    private static readonly byte[] CalibratedReading =
        [0x02, (byte)'t', (byte)'1', 0, 0, 0, 0, 0, 0, 0x08, 0x40, 0x02, 0x03, (byte)'r', (byte)'a', (byte)'w', 0x0a, .. "calibrated"u8];

    /// <summary>
    /// What reaches a provider that advertises the contract's record fingerprint: the record's exact binary form when the
    /// proxy is in native mode (through the server, untouched), a map otherwise; the proxy reads either answer.
    /// </summary>
    [Fact]
    public async Task A_record_reaches_a_provider_as_it_was_written_binary_only_in_native_mode()
    {
        string fingerprint = HyphaServices.Describe<ILiveService>().RecordsFingerprint!;
        HyphaClient provider = await ConnectAsync("raw-prov");
        var received = new TaskCompletionSource<MsgPackValue>(TaskCreationOptions.RunContinuationsAsynchronously);
        ServiceRegistration registration = await provider.RegisterServiceAsync(new ServiceBuilder("raw-typed")
            .Visibility(ServiceVisibility.Public)
            .Config(TypedRecords.ConfigKey, fingerprint)
            .Add("calibrate", (MsgPackValue reading) =>
            {
                received.TrySetResult(reading);
                return reading.Kind == MsgPackValueKind.Extension
                    ? MsgPackValue.Extension(TypedRecords.ExtensionType, CalibratedReading)
                    : new MsgPackMap { { "sensor_name", "t1" }, { "value", 3.0 }, { "tags", new MsgPackValue[] { "raw", "calibrated" } } };
            }));
        HyphaClient consumer = await ConnectAsync("raw-cons");
        ILiveService proxy = await consumer.GetServiceAsync<ILiveService>(registration.Id);

        Reading calibrated = await proxy.CalibrateAsync(new Reading("t1", 1.5, ["raw"]));

        Assert.Equal(3.0, calibrated.Value);
        Assert.Equal(["raw", "calibrated"], calibrated.Tags);
        MsgPackValue reading = await received.Task.WaitAsync(TimeSpan.FromSeconds(10));
        if (consumer.NativeAgreement is null)
        {
            Assert.Equal(new MsgPackMap { { "sensor_name", "t1" }, { "value", 1.5 }, { "tags", new MsgPackValue[] { "raw" } } }, reading.AsMap());
            return;
        }

        (sbyte type, ReadOnlyMemory<byte> body) = reading.AsExtension();
        Assert.Equal(TypedRecords.ExtensionType, type);
        Assert.Equal(RawReading, body.ToArray());
    }

    /// <summary>A typed proxy and a typed service in different modes use maps, whichever side is native.</summary>
    [Fact]
    public async Task Typed_peers_in_different_modes_exchange_maps()
    {
        string otherUrl = ClientUrl == Server.Url ? Server.NativeUrl : Server.Url;
        (HyphaClient provider, _, string serviceId) = await StartTypedProviderAsync();
        HyphaClient consumer = await ConnectAsync("mixed-cons", url: otherUrl);
        ILiveService proxy = await consumer.GetServiceAsync<ILiveService>(serviceId);

        Reading calibrated = await proxy.CalibrateAsync(new Reading("t1", 1.5, ["raw"]));

        Assert.Equal(["raw", "calibrated"], calibrated.Tags);
        bool advertised = ((RemoteService)await consumer.GetServiceAsync(serviceId)).Config.ContainsKey(TypedRecords.ConfigKey);
        Assert.Equal(provider.NativeAgreement is not null, advertised);
        Assert.Null(((ILiveServiceHypha.Proxy)proxy).Remote.BinaryRecords);
    }

    private static async IAsyncEnumerable<long> Numbers(int n)
    {
        for (int i = 1; i <= n; i++)
        {
            await Task.Yield();
            yield return i;
        }
    }
}

/// <summary>Every test of <see cref="TypedServiceTests"/> with the C# side in native mode (tcp://).</summary>
public sealed class NativeTypedServiceTests(ITestOutputHelper output) : TypedServiceTests(output)
{
    private protected override string ClientUrl => Server.NativeUrl;
}
