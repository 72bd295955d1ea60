using System.Text.Json;
using Hypha.Interop.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Hypha.Interop.Tests.Live;

/// <summary>Our C# client provides cs-svc; the unmodified npm client consumes it through our server.</summary>
public class CSharpProviderJsConsumerTests(ITestOutputHelper output) : LiveTestBase(output)
{
    private NodePeer _js = null!;
    private string _serviceId = null!;
    private CSharpServiceStats _stats = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        (_, _serviceId, _stats) = await StartCSharpProviderAsync();
        _js = await StartPeerAsync("js-cons");
    }

    private Task<JsonElement> CallAsync(string method, object?[] args, object? kwargs = null, TimeSpan? timeout = null) =>
        kwargs is null
            ? _js.SendAsync(new { op = "call", service = _serviceId, method, args }, timeout)
            : _js.SendAsync(new { op = "call", service = _serviceId, method, args, kwargs }, timeout);

    [Fact]
    public async Task Positional_and_keyword_arguments()
    {
        Assert.Equal(5, (await CallAsync("add", [2, 3])).GetInt32());
        Assert.Equal("Hello, Ada!", (await CallAsync("greet", ["Ada"])).GetString());
        Assert.Equal("Hi, Ada!", (await CallAsync("greet", ["Ada", "Hi"])).GetString());
        Assert.Equal("Hi, Bob!", (await CallAsync("greet", [], new { name = "Bob", greeting = "Hi" })).GetString());
        Assert.Equal("Hello, Bob!", (await CallAsync("greet", [], new { name = "Bob" })).GetString());
        // Python-style snake_case keywords fill camelCase C# parameters; positional and keyword arguments mix.
        Assert.Equal("pens:7", (await CallAsync("describe", [], new { item_name = "pens", max_items = 7 })).GetString());
        Assert.Equal("cups:3", (await CallAsync("describe", ["cups"])).GetString());
        Assert.Equal("jars:9", (await CallAsync("describe", ["jars"], new { max_items = 9 })).GetString());
    }

    [Fact]
    public async Task A_CSharp_function_returning_a_Dictionary_answers_JS()
    {
        JsonElement summary = await CallAsync("checksum_dict", [LiveKit.Bytes([1, 2, 3])], timeout: TimeSpan.FromSeconds(10));

        Assert.Equal(3, summary.GetProperty("length").GetInt32());
        Assert.Equal(6, summary.GetProperty("sum").GetInt32());
    }

    [Fact]
    public async Task Structured_values_round_trip_through_echo()
    {
        // echo(object? x) receives the JS object as a Dictionary<string, object?> and returns it.
        JsonElement echoed = await CallAsync("echo", timeout: TimeSpan.FromSeconds(10), args: [new
        {
            text = "héllo ✓ 日本",
            @int = 42,
            negative = -7,
            big = 1L << 40,
            @float = 0.5,
            flag = true,
            nothing = (object?)null,
            list = new object[] { 1, "two", new { three = 3 } },
        }]);

        Assert.Equal("héllo ✓ 日本", echoed.GetProperty("text").GetString());
        Assert.Equal(42, echoed.GetProperty("int").GetInt32());
        Assert.Equal(-7, echoed.GetProperty("negative").GetInt32());
        Assert.Equal(1L << 40, echoed.GetProperty("big").GetInt64());
        Assert.Equal(0.5, echoed.GetProperty("float").GetDouble());
        Assert.True(echoed.GetProperty("flag").GetBoolean());
        Assert.Equal(JsonValueKind.Null, echoed.GetProperty("nothing").ValueKind);
        Assert.Equal("two", echoed.GetProperty("list")[1].GetString());
        Assert.Equal(3, echoed.GetProperty("list")[2].GetProperty("three").GetInt32());
    }

    [Fact]
    public async Task A_JS_callback_passed_to_a_CSharp_RemoteFunction_parameter_is_called_back()
    {
        JsonElement answer = await _js.SendAsync(new { op = "call_with_callback", service = _serviceId, method = "call_back", n = 4 });

        Assert.Equal([10, 20, 30, 40], LiveKit.ReadLongs(answer.GetProperty("result")));
        Assert.Equal([1, 2, 3, 4], LiveKit.ReadLongs(answer.GetProperty("received")));
    }

    [Fact]
    public async Task A_CSharp_IAsyncEnumerable_is_consumed_by_JS_in_full()
    {
        JsonElement items = await _js.SendAsync(new { op = "iterate", service = _serviceId, method = "count", args = new[] { 5 } });

        Assert.Equal([0, 1, 2, 3, 4], LiveKit.ReadLongs(items));
        Assert.Equal(1, Volatile.Read(ref _stats.GeneratorsFinished));
        Assert.Equal(0, Volatile.Read(ref _stats.GeneratorsClosed));
    }

    [Fact]
    public async Task Breaking_out_of_a_CSharp_IAsyncEnumerable_in_JS_closes_it()
    {
        JsonElement items = await _js.SendAsync(new { op = "iterate_break", service = _serviceId, method = "count", args = new[] { 1000 }, take = 3 });

        Assert.Equal([0, 1, 2], LiveKit.ReadLongs(items));
        // JS's proxy calls the generator's close method; that must dispose the C# enumerator (its finally runs).
        await LiveKit.WaitUntilAsync(() => Task.FromResult(Volatile.Read(ref _stats.GeneratorsClosed) == 1),
            TimeSpan.FromSeconds(5), "the C# enumerator was disposed");
        Assert.Equal(0, Volatile.Read(ref _stats.GeneratorsFinished));
    }

    [Fact]
    public async Task A_CSharp_generator_held_open_by_a_JS_caller_that_goes_away_is_closed()
    {
        NodePeer leaving = await StartPeerAsync("js-leaving");
        JsonElement items = await leaving.SendAsync(new { op = "iterate_hold", service = _serviceId, method = "count", args = new[] { 1000 }, take = 2 });
        Assert.Equal([0, 1], LiveKit.ReadLongs(items));
        await leaving.KillAsync();

        // The caller lives in a workspace of its own, which client_disconnected does not leave: the server's
        // peer_not_found tells the C# provider, which drops the caller's sessions and disposes the enumerator.
        await LiveKit.WaitUntilAsync(() => Task.FromResult(Volatile.Read(ref _stats.GeneratorsClosed) == 1),
            TimeSpan.FromSeconds(10), "the C# enumerator was disposed");
        Assert.Equal(0, Volatile.Read(ref _stats.GeneratorsFinished));
    }

    [Fact]
    public async Task A_JS_generator_argument_is_consumed_by_CSharp()
    {
        JsonElement answer = await _js.SendAsync(new { op = "call_with_stream", service = _serviceId, method = "sum_stream", n = 10 });

        Assert.Equal(55, answer.GetProperty("result").GetInt32());
        Assert.True(answer.GetProperty("finished").GetBoolean(), $"the JS generator was not run to its end: {answer}");
    }

    [Fact]
    public async Task A_CSharp_exception_surfaces_in_JS_with_its_message()
    {
        JsonElement answer = await _js.SendAsync(new { op = "call_expect_error", service = _serviceId, method = "fail", args = new[] { "boom: 42 ✗" } });

        string? error = answer.GetProperty("error").GetString();
        Assert.NotNull(error);
        Assert.Contains("boom: 42 ✗", error, StringComparison.Ordinal);
        Assert.Equal(3, (await CallAsync("add", [1, 2])).GetInt32());
    }

    [Fact]
    public async Task A_missing_argument_surfaces_in_JS_as_an_error()
    {
        JsonElement answer = await _js.SendAsync(new { op = "call_expect_error", service = _serviceId, method = "add", args = new[] { 1 } });

        Assert.Contains("b", answer.GetProperty("error").GetString() ?? "<no error>", StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bytes_travel_as_Uint8Array_both_ways()
    {
        byte[] data = [0, 1, 2, 250, 255, 128];

        Assert.Equal("Byte[]", (await CallAsync("type_of", [LiveKit.Bytes(data)])).GetString());
        Assert.Equal(data.Reverse().ToArray(), LiveKit.ReadBytes(await CallAsync("reverse_bytes", [LiveKit.Bytes(data)])));
        Assert.Equal(LiveKit.Pattern(300), LiveKit.ReadBytes(await CallAsync("make_bytes", [300])));
    }

    [Fact]
    public async Task Float32_arrays_travel_as_Float32Array_both_ways()
    {
        Assert.Equal("Single[]", (await CallAsync("type_of", [LiveKit.F32(1f, 2f)])).GetString());
        Assert.Equal(new[] { 3f, -4f, 0.5f }, LiveKit.ReadF32(await CallAsync("scale_f32", [LiveKit.F32(1.5f, -2f, 0.25f), 2])));
        float[] data = [1.5f, -2f, 0.25f, 3.4028235e38f, float.Epsilon];
        Assert.Equal(data, LiveKit.ReadF32(await CallAsync("echo", [LiveKit.F32(data)])));
    }

    [Fact]
    public Task A_1_MiB_payload_goes_through_chunking_both_ways() => BigPayloadAsync(1 << 20);

    [Fact]
    public Task A_50_MiB_payload_goes_through_chunking_both_ways() => BigPayloadAsync(50 << 20);

    private async Task BigPayloadAsync(int size)
    {
        JsonElement answer = await _js.SendAsync(
            new { op = "big", service = _serviceId, method = "checksum", bytes_method = "make_bytes", size },
            TimeSpan.FromSeconds(120));
        Log($"big {size}: {answer}");

        JsonElement expected = answer.GetProperty("expected");
        JsonElement sent = answer.GetProperty("sent");
        Assert.Equal(size, sent.GetProperty("length").GetInt64());
        Assert.Equal(expected.GetProperty("sum").GetInt64(), sent.GetProperty("sum").GetInt64());
        Assert.Equal(LiveKit.Sum(LiveKit.Pattern(size)), sent.GetProperty("sum").GetInt64());

        JsonElement received = answer.GetProperty("received");
        Assert.Equal(size, received.GetProperty("length").GetInt64());
        Assert.True(received.GetProperty("pattern_ok").GetBoolean(), $"the bytes JS received differ from the pattern: {received}");
    }
}
