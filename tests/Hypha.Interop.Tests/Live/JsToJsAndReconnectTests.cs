using System.Diagnostics;
using System.Text.Json;
using Hypha.Client;
using Hypha.Client.Rpc;
using Hypha.Interop.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Hypha.Interop.Tests.Live;

/// <summary>Two unmodified npm clients talking through our server, and clients that outlive a server restart.</summary>
public sealed class JsToJsAndReconnectTests(ITestOutputHelper output) : LiveTestBase(output)
{
    [Fact]
    public async Task Two_JS_peers_call_each_other_through_our_server()
    {
        (NodePeer provider, string serviceId) = await StartJsProviderAsync("js-a");
        NodePeer consumer = await StartPeerAsync("js-b");

        Task<JsonElement> Call(string method, object[] args, object? kwargs = null) =>
            kwargs is null
                ? consumer.SendAsync(new { op = "call", service = serviceId, method, args })
                : consumer.SendAsync(new { op = "call", service = serviceId, method, args, kwargs });

        Assert.Equal(5, (await Call("add", [2, 3])).GetInt32());
        Assert.Equal("Hi, Bob!", (await Call("greet", [], new { name = "Bob", greeting = "Hi" })).GetString());
        Assert.Equal(new byte[] { 3, 2, 1 }, LiveKit.ReadBytes(await Call("reverse_bytes", [LiveKit.Bytes([1, 2, 3])])));
        Assert.Equal(new[] { 2f, 4f }, LiveKit.ReadF32(await Call("scale_f32", [LiveKit.F32(1f, 2f), 2])));

        JsonElement callback = await consumer.SendAsync(new { op = "call_with_callback", service = serviceId, method = "call_back", n = 3 });
        Assert.Equal([10, 20, 30], LiveKit.ReadLongs(callback.GetProperty("result")));

        Assert.Equal(new long[] { 0, 1, 2, 3 }, LiveKit.ReadLongs(await consumer.SendAsync(new { op = "iterate", service = serviceId, method = "count", args = new[] { 4 } })));
        Assert.Equal(new long[] { 0, 1 }, LiveKit.ReadLongs(await consumer.SendAsync(new { op = "iterate_break", service = serviceId, method = "count", args = new[] { 100 }, take = 2 })));
        await LiveKit.WaitUntilAsync(
            async () => (await JsStatsAsync(provider)).GetProperty("generators_closed").GetInt32() == 1,
            TimeSpan.FromSeconds(5), "the provider's generator was closed");

        JsonElement stream = await consumer.SendAsync(new { op = "call_with_stream", service = serviceId, method = "sum_stream", n = 10 });
        Assert.Equal(55, stream.GetProperty("result").GetInt32());

        JsonElement error = await consumer.SendAsync(new { op = "call_expect_error", service = serviceId, method = "fail", args = new[] { "js boom" } });
        Assert.Contains("js boom", error.GetProperty("error").GetString() ?? "<no error>", StringComparison.Ordinal);

        JsonElement big = await consumer.SendAsync(new { op = "big", service = serviceId, method = "checksum", size = 1 << 20 }, TimeSpan.FromSeconds(60));
        Assert.Equal(1 << 20, big.GetProperty("sent").GetProperty("length").GetInt32());
        Assert.Equal(big.GetProperty("expected").GetProperty("sum").GetInt64(), big.GetProperty("sent").GetProperty("sum").GetInt64());
        Assert.True(big.GetProperty("received").GetProperty("pattern_ok").GetBoolean(), big.ToString());

        JsonElement concurrent = await consumer.SendAsync(new { op = "concurrent", service = serviceId, method = "echo", count = 500 }, TimeSpan.FromSeconds(60));
        Assert.True(concurrent.GetProperty("ok").GetInt32() == 500, concurrent.ToString());
    }

    [Fact]
    public async Task A_JS_provider_reconnects_after_a_server_restart_and_its_service_comes_back()
    {
        // verbose: hypha-rpc's reconnection log goes to stderr, shown in the test output.
        (NodePeer provider, string serviceId) = await StartJsProviderAsync("js-prov", verbose: true);
        NodePeer jsConsumer = await StartPeerAsync("js-cons", verbose: true);
        HyphaClient csConsumer = await ConnectAsync("cs-cons");
        Assert.Equal(5, (await jsConsumer.SendAsync(new { op = "call", service = serviceId, method = "add", args = new[] { 2, 3 } })).GetInt32());
        Assert.Equal(5, await (await csConsumer.GetServiceAsync(serviceId)).InvokeAsync<int>("add", 2, 3));

        var clock = Stopwatch.StartNew();
        await Server.RestartAsync();
        Log($"server restarted in {clock.ElapsedMilliseconds} ms");

        // The provider reconnects on its own (hypha-rpc backoff: 1 s, 2 s, ...) and re-registers js-svc under the
        // same id; each consumer reconnects too and then finds the service again.
        TimeSpan within = TimeSpan.FromSeconds(15);
        int viaJs = (await LiveKit.EventuallyAsync(
            () => jsConsumer.SendAsync(new { op = "call", service = serviceId, method = "add", args = new[] { 20, 22 }, refresh = true }, TimeSpan.FromSeconds(5)),
            within, TimeSpan.FromMilliseconds(500))).GetInt32();
        Log($"the JS consumer reached the provider again {clock.ElapsedMilliseconds} ms after the restart began");
        Assert.Equal(42, viaJs);

        int viaCs = await LiveKit.EventuallyAsync(
            async () => await (await csConsumer.GetServiceAsync(serviceId)).InvokeAsync<int>("add", 40, 2),
            within, TimeSpan.FromMilliseconds(500));
        Log($"the C# consumer reached the provider again {clock.ElapsedMilliseconds} ms after the restart began");
        Assert.Equal(42, viaCs);

        // A client that connects only now sees the service as well.
        HyphaClient late = await ConnectAsync("cs-late");
        Assert.Equal(7, await (await late.GetServiceAsync(serviceId)).InvokeAsync<int>("add", 3, 4));

        JsonElement info = await provider.SendAsync(new { op = "info" });
        Assert.Equal(provider.Workspace, info.GetProperty("workspace").GetString());
    }

    [Fact]
    public async Task A_CSharp_provider_reconnects_after_a_server_restart_and_JS_can_call_it_again()
    {
        (_, string serviceId, _) = await StartCSharpProviderAsync();
        NodePeer jsConsumer = await StartPeerAsync("js-cons", verbose: true);
        Assert.Equal(5, (await jsConsumer.SendAsync(new { op = "call", service = serviceId, method = "add", args = new[] { 2, 3 } })).GetInt32());

        var clock = Stopwatch.StartNew();
        await Server.RestartAsync();

        int result = (await LiveKit.EventuallyAsync(
            () => jsConsumer.SendAsync(new { op = "call", service = serviceId, method = "add", args = new[] { 20, 22 }, refresh = true }, TimeSpan.FromSeconds(5)),
            TimeSpan.FromSeconds(15), TimeSpan.FromMilliseconds(500))).GetInt32();
        Log($"the JS consumer reached the C# provider again {clock.ElapsedMilliseconds} ms after the restart began");
        Assert.Equal(42, result);
    }
}
