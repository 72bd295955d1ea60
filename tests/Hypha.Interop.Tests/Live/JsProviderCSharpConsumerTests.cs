using System.Diagnostics;
using System.Text.Json;
using Hypha.Client;
using Hypha.Client.Rpc;
using Hypha.Interop.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Hypha.Interop.Tests.Live;

/// <summary>The unmodified npm client provides js-svc; our C# client consumes it through our server.</summary>
public class JsProviderCSharpConsumerTests(ITestOutputHelper output) : LiveTestBase(output)
{
    private NodePeer _js = null!;
    private RemoteService _svc = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        (_js, string serviceId) = await StartJsProviderAsync();
        HyphaClient client = await ConnectAsync("cs-cons");
        _svc = await client.GetServiceAsync(serviceId);
        Assert.Equal(serviceId, _svc.Id);
    }

    [Fact]
    public async Task Positional_and_keyword_arguments()
    {
        Assert.Equal(5, await _svc.InvokeAsync<int>("add", 2, 3));
        Assert.Equal(1.75, await _svc.InvokeAsync<double>("add", 1.5, 0.25));
        Assert.Equal("Hello, Ada!", await _svc.InvokeAsync<string>("greet", "Ada"));
        Assert.Equal("Hi, Ada!", await _svc.InvokeAsync<string>("greet", "Ada", "Hi"));
        Assert.Equal("Hi, Bob!", await _svc.InvokeAsync<string>("greet", Array.Empty<object?>(), new Dictionary<string, object?> { ["name"] = "Bob", ["greeting"] = "Hi" }));
        Assert.Equal("Hello, Bob!", await _svc.InvokeAsync<string>("greet", Array.Empty<object?>(), new Dictionary<string, object?> { ["name"] = "Bob" }));
        // Not tested: mixing positional and keyword arguments. A JS callee (hypha-rpc 0.21.40) rebuilds the argument
        // list from the kwargs map alone, by parameter name, so positional values before the map are dropped.
    }

    [Fact]
    public async Task Structured_values_round_trip_through_echo()
    {
        var value = new Dictionary<string, object?>
        {
            ["text"] = "héllo ✓ 日本",
            ["int"] = 42L,
            ["negative"] = -7L,
            ["big"] = 1L << 40,
            ["float"] = 0.5,
            ["flag"] = true,
            ["nothing"] = null,
            ["list"] = new object?[] { 1L, "two", new Dictionary<string, object?> { ["three"] = 3L } },
            ["nested"] = new Dictionary<string, object?> { ["deep"] = new object?[] { new object?[] { "x" } } },
        };

        var echoed = await _svc.InvokeAsync<Dictionary<string, object?>>("echo", value);

        Assert.Equal("héllo ✓ 日本", echoed["text"]);
        Assert.Equal(42L, Convert.ToInt64(echoed["int"]));
        Assert.Equal(-7L, Convert.ToInt64(echoed["negative"]));
        Assert.Equal(1L << 40, Convert.ToInt64(echoed["big"]));
        Assert.Equal(0.5, Convert.ToDouble(echoed["float"]));
        Assert.Equal(true, echoed["flag"]);
        Assert.True(echoed.ContainsKey("nothing") && echoed["nothing"] is null, "null member lost");
        object?[] list = Assert.IsType<object?[]>(echoed["list"]);
        Assert.Equal("two", list[1]);
        Assert.Equal(3L, Convert.ToInt64(Assert.IsType<Dictionary<string, object?>>(list[2])["three"]));
    }

    [Fact]
    public async Task A_CSharp_callback_argument_is_called_back_by_JS()
    {
        var received = new List<int>();
        Func<int, int> square = i =>
        {
            lock (received)
            {
                received.Add(i);
            }

            return i * i;
        };

        int[] results = await _svc.InvokeAsync<int[]>("call_back", square, 4);

        Assert.Equal([1, 4, 9, 16], results);
        Assert.Equal([1, 2, 3, 4], received);

        // An async C# callback works the same way.
        Func<int, Task<string>> label = async i =>
        {
            await Task.Delay(5);
            return $"#{i}";
        };
        Assert.Equal(new[] { "#1", "#2" }, await _svc.InvokeAsync<string[]>("call_back", label, 2));
    }

    [Fact]
    public async Task A_JS_generator_is_consumed_in_full()
    {
        IAsyncEnumerable<int> items = await _svc.InvokeAsync<IAsyncEnumerable<int>>("count", 5);
        var seen = new List<int>();
        await foreach (int item in items)
        {
            seen.Add(item);
        }

        Assert.Equal([0, 1, 2, 3, 4], seen);
        JsonElement stats = await JsStatsAsync(_js);
        Assert.Equal(1, stats.GetProperty("generators_finished").GetInt32());
        Assert.Equal(0, stats.GetProperty("generators_closed").GetInt32());
    }

    [Fact]
    public async Task Breaking_out_of_a_JS_generator_closes_it()
    {
        IAsyncEnumerable<int> items = await _svc.InvokeAsync<IAsyncEnumerable<int>>("count", 1000);
        var seen = new List<int>();
        await foreach (int item in items)
        {
            seen.Add(item);
            if (seen.Count == 3)
            {
                break;
            }
        }

        Assert.Equal([0, 1, 2], seen);
        // The proxy's close call is what runs the JS generator's finally block.
        await LiveKit.WaitUntilAsync(
            async () => (await JsStatsAsync(_js)).GetProperty("generators_closed").GetInt32() == 1,
            TimeSpan.FromSeconds(5), "the JS generator was closed");
        Assert.Equal(0, (await JsStatsAsync(_js)).GetProperty("generators_finished").GetInt32());
    }

    [Fact]
    public async Task A_CSharp_generator_argument_is_consumed_by_JS()
    {
        Assert.Equal(55, await _svc.InvokeAsync<int>("sum_stream", Numbers(10)));
    }

    [Fact]
    public async Task A_JS_error_surfaces_as_RemoteException_with_its_message()
    {
        RemoteException error = await Assert.ThrowsAsync<RemoteException>(() => _svc.InvokeAsync<object?>("fail", "boom: 42 ✗"));
        Assert.Contains("boom: 42 ✗", error.Message, StringComparison.Ordinal);

        // The provider is still fine afterwards.
        Assert.Equal(3, await _svc.InvokeAsync<int>("add", 1, 2));
    }

    [Fact]
    public async Task Bytes_travel_as_Uint8Array_both_ways()
    {
        byte[] data = [0, 1, 2, 250, 255, 128];

        Assert.Equal("Uint8Array", await _svc.InvokeAsync<string>("type_of", data));
        Assert.Equal(data.Reverse().ToArray(), await _svc.InvokeAsync<byte[]>("reverse_bytes", data));
        Assert.Equal(LiveKit.Pattern(300), await _svc.InvokeAsync<byte[]>("make_bytes", 300));
        Assert.Empty(await _svc.InvokeAsync<byte[]>("reverse_bytes", Array.Empty<byte>()));
    }

    [Fact]
    public async Task Float32_arrays_travel_as_Float32Array_both_ways()
    {
        float[] data = [1.5f, -2f, 0.25f, 3.4028235e38f, float.Epsilon];

        Assert.Equal("Float32Array", await _svc.InvokeAsync<string>("type_of", data));
        float[] scaled = await _svc.InvokeAsync<float[]>("scale_f32", new[] { 1.5f, -2f, 0.25f }, 2);
        Assert.Equal([3f, -4f, 0.5f], scaled);
        Assert.Equal(data, await _svc.InvokeAsync<float[]>("echo", data));
    }

    [Fact]
    public Task A_1_MiB_payload_goes_through_chunking_both_ways() => BigPayloadAsync(1 << 20);

    [Fact]
    public Task A_50_MiB_payload_goes_through_chunking_both_ways() => BigPayloadAsync(50 << 20);

    private async Task BigPayloadAsync(int size)
    {
        byte[] payload = LiveKit.Pattern(size);
        var clock = Stopwatch.StartNew();
        var summary = await _svc.InvokeAsync<Dictionary<string, long>>("checksum", payload);
        Log($"C# → JS {size} bytes: {clock.ElapsedMilliseconds} ms");
        Assert.Equal(size, summary["length"]);
        Assert.Equal(LiveKit.Sum(payload), summary["sum"]);

        clock.Restart();
        byte[] received = await _svc.InvokeAsync<byte[]>("make_bytes", size);
        Log($"JS → C# {size} bytes: {clock.ElapsedMilliseconds} ms");
        Assert.Equal(size, received.Length);
        Assert.Equal(-1, LiveKit.FirstPatternMismatch(received));

        // The chunked answer never passes the server as a resolve: its process call settles the call there, so
        // nothing stays owed (the process call's own answer follows the result by a moment).
        await LiveKit.WaitUntilAsync(() => Task.FromResult(Server.Server.HasNoPendingCalls), TimeSpan.FromSeconds(5), "no call is owed");
    }

    private static async IAsyncEnumerable<int> Numbers(int n)
    {
        for (int i = 1; i <= n; i++)
        {
            await Task.Yield();
            yield return i;
        }
    }
}
