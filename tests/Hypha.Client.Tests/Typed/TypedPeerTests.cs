using Hypha.Client.Rpc;
using Hypha.Client.Tests.Rpc;
using Hypha.Client.Typed;
using Hypha.Protocol.MsgPack;
using Hypha.Protocol.Objects;

namespace Hypha.Client.Tests.Typed;

/// <summary>
/// A typed proxy and a typed service on two RPC peers joined in memory by a router that does what the hypha server
/// does to every frame (stamp, forward extra untouched): every method shape and type family of <see cref="ICalc"/>.
/// </summary>
public sealed class TypedPeerTests : IAsyncLifetime
{
    private readonly PeerNetwork _net = new();
    private RpcPeer _provider = null!;
    private RpcPeer _caller = null!;
    private Calculator _calculator = null!;
    private ICalc _calc = null!;
    private RemoteService _dynamic = null!;

    public async Task InitializeAsync()
    {
        _provider = _net.Add("ws", "p");
        _caller = _net.Add("ws", "c");
        _calculator = new Calculator();
        _provider.AddService(TypedServices.Build<ICalc>(new SingleInstanceActivator<ICalc>(_calculator), null));
        var getService = RemoteMethod.Create("ws/p", "services.built-in.get_service", RemotePromiseMode.Compact);
        _dynamic = new RemoteService((IReadOnlyDictionary<string, object?>)(await _caller.CallAsync(getService, ["calc"], null, null, CancellationToken.None))!);
        _calc = HyphaServices.Describe<ICalc>().CreateProxy(new TypedRemoteService(_caller, _dynamic, HyphaServices.Describe<ICalc>()));
    }

    public async Task DisposeAsync() => await _net.DisposeAsync();

    [Fact]
    public async Task Unary_calls_of_every_return_shape()
    {
        Assert.Equal(3, await _calc.AddAsync(1, 2));
        Assert.Equal(5.0, await _calc.ScaleAsync(2.5));
        Assert.Equal(7.5, await _calc.ScaleAsync(2.5, 3));
        Assert.Equal("Hello, Ada!", await _calc.GreetAsync("Ada"));
        Assert.Equal("Hi, Ada!", await _calc.GreetAsync("Ada", "Hi"));
        await _calc.NothingAsync();
        await _calc.PingAsync();
        Assert.Equal(0, _caller.SessionCount);
    }

    [Fact]
    public async Task Bytes_collections_maps_enums_and_nullables()
    {
        Assert.Equal(new byte[] { 3, 2, 1 }, await _calc.ReverseAsync([1, 2, 3]));
        Assert.Equal(4, await _calc.LengthAsync(new byte[] { 1, 2, 3, 4 }));
        Assert.Equal(10, await _calc.SumAsync([1, 2, 3], [4]));
        Assert.Equal(6, await _calc.SumAsync([1, 2, 3]));
        IReadOnlyDictionary<string, int> doubled = await _calc.DoubleAsync(new Dictionary<string, int> { ["a"] = 1, ["b"] = 2 });
        Assert.Equal(new Dictionary<string, int> { ["a"] = 2, ["b"] = 4 }, doubled);
        Assert.Equal(Color.Green, await _calc.NextColorAsync(Color.Red));
        Assert.Equal(Color.Blue, await _calc.NextColorAsync(Color.Green));
        Assert.Equal(Color.Red, await _calc.NextColorAsync(Color.Blue));
        Assert.Equal(50, await _calc.MaybeAsync(5));
        Assert.Null(await _calc.MaybeAsync(null));
        Assert.Equal(2, await _calc.CountItemsAsync(["a", "b", "c"], 2));
    }

    [Fact]
    public async Task Nested_records_and_classes_round_trip()
    {
        var shape = new Shape("tri", [new Point(1, 2, "a"), new Point(3, 4)], new Dictionary<string, double> { ["area"] = 2.5 }, Color.Blue, null)
        {
            Tags = ["x"],
            Inner = new Shape("inner", [], [], Color.Red, 3),
        };

        Shape normalized = await _calc.NormalizeAsync(shape);

        Assert.Equal("TRI", normalized.Name);
        Assert.Equal([new Point(2, 2, "a"), new Point(6, 4)], normalized.Corners);
        Assert.Equal(2.5, normalized.Metrics["area"]);
        Assert.Equal(Color.Blue, normalized.Color);
        Assert.Null(normalized.Layer);
        Assert.Equal(["x", "normalized"], normalized.Tags);
        Assert.Equal("inner", normalized.Inner!.Name);
        Assert.Equal(3, normalized.Inner.Layer);

        var settings = new Settings
        {
            MaxRetries = 9,
            CreatedAt = new DateTime(2025, 1, 2, 3, 4, 5, DateTimeKind.Utc),
            Id = Guid.NewGuid(),
            Blob = [9, 8],
            Extra = new MsgPackMap { { "k", 1 } },
        };
        Settings echoed = await _calc.EchoSettingsAsync(settings);
        Assert.Equal(9, echoed.MaxRetries);
        Assert.Equal(settings.CreatedAt, echoed.CreatedAt);
        Assert.Equal(settings.Id, echoed.Id);
        Assert.Equal(settings.Blob, echoed.Blob);
        Assert.Equal(1, echoed.Extra["k"].AsInt64());
    }

    [Fact]
    public async Task Records_travel_as_snake_case_maps_a_dynamic_caller_can_read()
    {
        object? result = await _dynamic.InvokeAsync("normalize", new Dictionary<string, object?>
        {
            ["name"] = "sq",
            ["corners"] = new object[] { new Dictionary<string, object?> { ["x"] = 1, ["y"] = 1 } },
            ["metrics"] = new Dictionary<string, object?>(),
            ["color"] = "green",
            ["layer"] = 2,
        });

        var map = Assert.IsType<Dictionary<string, object?>>(result);
        Assert.Equal("SQ", map["name"]);
        Assert.Equal("Green", map["color"]);
        Assert.Equal(2L, map["layer"]);
        var corner = Assert.IsType<Dictionary<string, object?>>(Assert.Single((object?[])map["corners"]!));
        Assert.Equal(2.0, corner["x"]);
        Assert.Null(corner["label"]);
        Assert.Equal(new object?[] { "normalized" }, (object?[])map["tags"]!);
    }

    [Fact]
    public async Task Streams_both_ways()
    {
        var items = new List<int>();
        await foreach (int i in _calc.CountAsync(5))
        {
            items.Add(i);
        }

        Assert.Equal([0, 1, 2, 3, 4], items);

        var points = new List<Point>();
        await foreach (Point p in _calc.PointsAsync(3))
        {
            points.Add(p);
        }

        Assert.Equal([new Point(0, 0, "p0"), new Point(1, -1), new Point(2, -2, "p2")], points);
        Assert.Equal(0, _provider.SessionCount);
        Assert.Equal(15, await _calc.SumStreamAsync(Numbers(5)));
    }

    [Fact]
    public async Task Leaving_a_stream_early_closes_it_on_the_provider()
    {
        await foreach (int i in _calc.CountAsync(1000))
        {
            if (i == 2)
            {
                break;
            }
        }

        await WaitUntilAsync(() => Volatile.Read(ref _calculator.StreamsClosed) == 1);
        Assert.Equal(0, _provider.SessionCount);
    }

    [Fact]
    public async Task Callbacks_of_every_shape()
    {
        var reported = new List<int>();
        Assert.Equal("done", await _calc.ProgressAsync(3, i =>
        {
            lock (reported)
            {
                reported.Add(i);
            }

            return Task.CompletedTask;
        }));
        Assert.Equal([1, 2, 3], reported);
        Assert.Equal(43, await _calc.AskAsync(question => ValueTask.FromResult(question == "how many?" ? 42 : 0)));
        var notified = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await _calc.NotifyAsync(text => notified.TrySetResult(text));
        Assert.Equal("hello", await notified.Task.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Cancellation_reaches_the_provider()
    {
        using var cancel = new CancellationTokenSource();
        Task<string> waiting = _calc.WaitAsync(60_000, cancel.Token);
        await _calculator.WaitStarted.Task.WaitAsync(TimeSpan.FromSeconds(10));

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        Assert.True(await _calculator.WaitCancelled.Task.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Errors_and_bad_arguments_are_clear()
    {
        var failure = await Assert.ThrowsAsync<RemoteException>(() => _calc.FailAsync("boom"));
        Assert.Equal("boom", failure.Message);
        Assert.Contains("InvalidOperationException", failure.RemoteTrace, StringComparison.Ordinal);

        var wrongType = await Assert.ThrowsAsync<RemoteException>(() => _dynamic.InvokeAsync("add", "one", 2));
        Assert.Contains("add: argument 'a'", wrongType.Message, StringComparison.Ordinal);
        var missing = await Assert.ThrowsAsync<RemoteException>(() => _dynamic.InvokeAsync("add", 1));
        Assert.Contains("missing argument 'b'", missing.Message, StringComparison.Ordinal);
        var extra = await Assert.ThrowsAsync<RemoteException>(() => _dynamic.InvokeAsync("add", 1, 2, 3));
        Assert.Contains("takes 2 positional arguments but 3 were given", extra.Message, StringComparison.Ordinal);
        var tooBig = await Assert.ThrowsAsync<RemoteException>(() => _dynamic.InvokeAsync("add", 1L << 40, 2));
        Assert.Contains("does not fit", tooBig.Message, StringComparison.Ordinal);
        var badEnum = await Assert.ThrowsAsync<RemoteException>(() => _dynamic.InvokeAsync("next_color", "purple"));
        Assert.Contains("not a member of Color", badEnum.Message, StringComparison.Ordinal);
        var badRecord = await Assert.ThrowsAsync<RemoteException>(() => _dynamic.InvokeAsync("normalize", new Dictionary<string, object?> { ["name"] = "x" }));
        Assert.Contains("missing its field 'corners'", badRecord.Message, StringComparison.Ordinal);
        Assert.Equal(3, await _calc.AddAsync(1, 2));
    }

    [Fact]
    public async Task Keyword_arguments_bind_by_wire_name_in_any_case()
    {
        Assert.Equal(3, await _dynamic.InvokeAsync<int>("add", [], new Dictionary<string, object?> { ["b"] = 2, ["a"] = 1 }));
        Assert.Equal(30.0, await _dynamic.InvokeAsync<double>("scale", [10], new Dictionary<string, object?> { ["factor"] = 3 }));
        Assert.Equal(1, await _dynamic.InvokeAsync<int>("item_count", [], new Dictionary<string, object?> { ["items"] = new[] { "a", "b" }, ["maxItems"] = 1 }));
        Assert.Equal(2, await _dynamic.InvokeAsync<int>("item_count", [new[] { "a", "b" }], new Dictionary<string, object?> { ["max_items"] = 5 }));
        var unknown = await Assert.ThrowsAsync<RemoteException>(() => _dynamic.InvokeAsync<int>("add", [1], new Dictionary<string, object?> { ["c"] = 2 }));
        Assert.Contains("unexpected keyword argument 'c'", unknown.Message, StringComparison.Ordinal);
        var twice = await Assert.ThrowsAsync<RemoteException>(() => _dynamic.InvokeAsync<int>("add", [1], new Dictionary<string, object?> { ["a"] = 2 }));
        Assert.Contains("multiple values for argument 'a'", twice.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_method_that_takes_an_RpcContext_gets_the_context_its_server_stamped_never_an_argument()
    {
        // A typed proxy passes nothing for the context; the peer that runs the method fills it from the message.
        Assert.Equal("hi ws/c -> ws/p", await _calc.WhoAsync("hi"));
        Assert.Equal("ws,ws", await _calc.CallerWorkspaceAsync(null!, 2));

        // A dynamic caller gives the arguments alone, positional or by keyword; a "context" it sends is refused, not used.
        Assert.Equal("yo ws/c -> ws/p", await _dynamic.InvokeAsync<string>("who", ["yo"], null));
        Assert.Equal("ws", await _dynamic.InvokeAsync<string>("caller_workspace", [], new Dictionary<string, object?> { ["repeat"] = 1 }));
        var forged = await Assert.ThrowsAsync<RemoteException>(() =>
            _dynamic.InvokeAsync<string>("who", ["yo"], new Dictionary<string, object?> { ["context"] = new Dictionary<string, object?> { ["from"] = "ws/admin" } }));
        Assert.Contains("unexpected keyword argument 'context'", forged.Message, StringComparison.Ordinal);

        // The service tells callers which functions take the context, as a dynamic service does; the schema leaves it out.
        MsgPackMap info = _provider.BuildServiceInfo(_provider.FindService("calc")!);
        Assert.Equal(["who", "caller_workspace"], info["config"]["require_context"].AsArray().Select(v => v.AsString()));
        MsgPackMap who = info["service_schema"]["who"]["function"].AsMap();
        Assert.Equal(["greeting"], who["parameters"]["properties"].AsMap().Select(entry => entry.Key.AsString()));
        Assert.Equal(["repeat"], info["service_schema"]["caller_workspace"]["function"]["parameters"]["properties"].AsMap().Select(entry => entry.Key.AsString()));
        Assert.True(HyphaServices.Describe<ICalc>().Methods.Single(m => m.WireName == "who").TakesContext);
        Assert.False(HyphaServices.Describe<ICalc>().Methods.Single(m => m.WireName == "add").TakesContext);
    }

    [Fact]
    public async Task The_service_schema_carries_wire_names_and_descriptions()
    {
        MsgPackMap info = _provider.BuildServiceInfo(_provider.FindService("calc")!);
        MsgPackMap add = info["service_schema"]["add"]["function"].AsMap();
        Assert.Equal("Adds two integers.", add["description"].AsString());
        Assert.Equal("The first.", add["parameters"]["properties"]["a"]["description"].AsString());
        Assert.Equal(["a", "b"], add["parameters"]["required"].AsArray().Select(v => v.AsString()));
        MsgPackMap count = info["service_schema"]["item_count"]["function"].AsMap();
        Assert.True(count["parameters"]["properties"].AsMap().ContainsKey("max_items"));
        Assert.Equal("A typed calculator", info["description"].AsString());
        Assert.Equal("public", info["config"]["visibility"].AsString());
        Assert.True(info["config"]["cancellable"].AsBoolean());
    }

    private static async IAsyncEnumerable<long> Numbers(int n)
    {
        for (int i = 1; i <= n; i++)
        {
            await Task.Yield();
            yield return i;
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (int i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(25);
        }

        Assert.True(condition());
    }
}
