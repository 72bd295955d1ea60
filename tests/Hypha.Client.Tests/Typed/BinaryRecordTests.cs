using System.Collections.Concurrent;
using Hypha.Client.Rpc;
using Hypha.Client.Tests.Rpc;
using Hypha.Client.Typed;
using Hypha.Protocol.Messages;
using Hypha.Protocol.MsgPack;
using Hypha.Protocol.Native;
using Hypha.Protocol.Objects;

namespace Hypha.Client.Tests.Typed;

/// <summary>
/// Records in their binary form between two typed peers joined in memory (the router forwards <c>extra</c> untouched,
/// as the server does): what each side receives, byte for byte, when both agreed, and maps whenever one side did not.
/// </summary>
public sealed class BinaryRecordTests : IAsyncDisposable
{
    private static readonly string Fingerprint = HyphaServices.Describe<IRecords>().RecordsFingerprint!;

    private readonly PeerNetwork _net = new();
    private readonly ConcurrentQueue<(string To, byte[] Frame)> _frames = new();

    public BinaryRecordTests()
    {
        _net.Delivering = (to, frame) => _frames.Enqueue((to, frame));
    }

    public async ValueTask DisposeAsync() => await _net.DisposeAsync();

    // A provider and a caller; each uses binary records when told, as a native client does.
    private async Task<(IRecords Proxy, RemoteService Dynamic, RpcPeer Caller)> ConnectAsync(bool callerBinary = true, bool providerBinary = true,
        string? advertise = null)
    {
        RpcPeer provider = _net.Add("ws", "p", binaryRecords: providerBinary);
        RpcPeer caller = _net.Add("ws", "c", binaryRecords: callerBinary);
        var service = TypedServices.Build<IRecords>(new SingleInstanceActivator<IRecords>(new RecordService()), null, providerBinary);
        if (advertise is not null)
        {
            service.Config.Set(TypedRecords.ConfigKey, advertise);
        }

        provider.AddService(service);
        var getService = RemoteMethod.Create("ws/p", "services.built-in.get_service", RemotePromiseMode.Compact);
        var dynamic = new RemoteService((IReadOnlyDictionary<string, object?>)(await caller.CallAsync(getService, ["records"], null, null, CancellationToken.None))!);
        IRecords proxy = HyphaServices.Describe<IRecords>().CreateProxy(new TypedRemoteService(caller, dynamic, HyphaServices.Describe<IRecords>()));
        _frames.Clear();
        return (proxy, dynamic, caller);
    }

    // The extra segment of the last frame delivered to `to` whose method ends with `method`.
    private MsgPackMap Delivered(string to, string method) =>
        AllDelivered(to, method).LastOrDefault() ?? throw new Xunit.Sdk.XunitException($"No frame for {method} reached {to}");

    // The extra segments of every frame delivered to `to` whose method ends with `method`, in order.
    private List<MsgPackMap> AllDelivered(string to, string method) =>
        _frames.Select(f => (f.To, Frame: HyphaFrame.Decode(f.Frame)))
            .Where(f => f.To == to && f.Frame.Envelope.Method is { } path && path.EndsWith(method, StringComparison.Ordinal))
            .Select(f => f.Frame.DecodeExtra()!)
            .ToList();

    private static byte[] ExtBody(MsgPackValue value, sbyte type = TypedRecords.ExtensionType)
    {
        (sbyte typeCode, ReadOnlyMemory<byte> data) = value.AsExtension();
        Assert.Equal(type, typeCode);
        return data.ToArray();
    }

    // Spot(1.5, -2, "a") in its binary form: the presence bit of Label, X and Y as little-endian float64, "a".
    private static readonly byte[] SpotBody = [0x01, 0, 0, 0, 0, 0, 0, 0xf8, 0x3f, 0, 0, 0, 0, 0, 0, 0, 0xc0, 0x01, (byte)'a'];

    [Fact]
    public async Task Two_typed_peers_that_agreed_send_records_as_ext_0x52_and_mark_the_call()
    {
        (IRecords proxy, _, _) = await ConnectAsync();

        Spot moved = await proxy.MoveAsync(new Spot(1.5, -2, "a"), 1);

        Assert.Equal(new Spot(2.5, -2, "a"), moved);
        MsgPackMap call = Delivered("ws/p", ".move");
        Assert.Equal(Fingerprint, call["records"].AsString());
        MsgPackValue[] args = call["args"].AsArray();
        Assert.Equal(SpotBody, ExtBody(args[0]));
        Assert.Equal(1.0, args[1].AsDouble());

        // The answer is binary too: 2.5 is 0x4004000000000000.
        MsgPackMap answer = Delivered("ws/c", ".resolve");
        Assert.False(answer.TryGetValue("records", out _));
        Assert.Equal([0x01, 0, 0, 0, 0, 0, 0, 0x04, 0x40, 0, 0, 0, 0, 0, 0, 0, 0xc0, 0x01, (byte)'a'], ExtBody(answer["args"].AsArray()[0]));
    }

    // A value with every field family, edge values included.
    private static Everything Sample()
    {
        var leaf = new TreeNode("leaf", []);
        return new Everything(
            true, -5, 250, -30_000, 65_000, int.MinValue, uint.MaxValue, long.MinValue, ulong.MaxValue,
            1.25f, Math.PI, 'λ', "héllo", null, new DateTime(2026, 11, 30, 7, 0, 0, DateTimeKind.Utc).AddTicks(1),
            new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(2)), Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e"),
            [1, 2, 3], new byte[] { 9, 8 }, (Color)99, Level.High, Extreme.Least, 42, Color.Blue,
            null, [1, -1, int.MaxValue], ["a", ""], [new Spot(1, 2), new Spot(3, 4, "x")], [1, null, 3],
            [[1, 2], [], [3]], new Dictionary<string, double> { ["pi"] = 3.14, ["e"] = 2.72 },
            new Dictionary<string, Spot?> { ["home"] = new Spot(0, 0, "h"), ["nowhere"] = null },
            new Spot(-1, -1), new TreeNode("root", [leaf, new TreeNode("mid", [leaf])], new TreeNode("next", [])),
            new MsgPackMap { { "k", new MsgPackValue[] { 1, "two" } } }, new Knobs { Volume = 11, Title = null })
        {
            Retries = 7,
        };
    }

    [Fact]
    public async Task Every_field_family_round_trips_in_binary_form()
    {
        (IRecords proxy, _, _) = await ConnectAsync();
        Everything value = Sample();

        Everything echoed = await proxy.EchoAsync(value);

        Assert.Equal(Fingerprint, Delivered("ws/p", ".echo")["records"].AsString());
        Assert.Equal(TypedRecords.ExtensionType, Delivered("ws/c", ".resolve")["args"].AsArray()[0].AsExtension().TypeCode);
        Assert.Equal((value.Flag, value.Tiny, value.Small, value.Short, value.UShort, value.Int, value.UInt, value.Long, value.ULong),
            (echoed.Flag, echoed.Tiny, echoed.Small, echoed.Short, echoed.UShort, echoed.Int, echoed.UInt, echoed.Long, echoed.ULong));
        Assert.Equal((value.Single, value.Double, value.Letter, value.Text, value.Note), (echoed.Single, echoed.Double, echoed.Letter, echoed.Text, echoed.Note));
        Assert.Equal(value.When, echoed.When);
        Assert.Equal(DateTimeKind.Utc, echoed.When.Kind);
        Assert.Equal(value.At, echoed.At);
        Assert.Equal(value.Id, echoed.Id);
        Assert.Equal(value.Blob, echoed.Blob);
        Assert.Equal(value.View.ToArray(), echoed.View.ToArray());
        Assert.Equal((value.Color, value.Level, value.Extreme), (echoed.Color, echoed.Level, echoed.Extreme));
        Assert.Equal((value.MaybeInt, value.MaybeColor, value.MaybeSpot), (echoed.MaybeInt, echoed.MaybeColor, echoed.MaybeSpot));
        Assert.Equal(value.Numbers, echoed.Numbers);
        Assert.Equal(value.Names, echoed.Names);
        Assert.Equal(value.Spots, echoed.Spots);
        Assert.Equal(value.Maybes, echoed.Maybes);
        Assert.Equal(value.Grid.Select(r => r.ToArray()), echoed.Grid.Select(r => r.ToArray()));
        Assert.Equal(value.Scores, echoed.Scores);
        Assert.Equal(value.Places, echoed.Places);
        Assert.Equal(value.Origin, echoed.Origin);
        Assert.Equal("root", echoed.Tree.Name);
        Assert.Equal(["leaf", "mid"], echoed.Tree.Children.Select(c => c.Name));
        Assert.Equal("leaf", echoed.Tree.Children[1].Children[0].Name);
        Assert.Equal("next", echoed.Tree.Next!.Name);
        Assert.Null(echoed.Tree.Children[0].Next);
        Assert.Equal(value.Extra, echoed.Extra);
        Assert.Equal((11, (string?)null), (echoed.Knobs.Volume, echoed.Knobs.Title));
        Assert.Equal(("fast", 7, 5), (echoed.Mode, echoed.Retries, echoed.TextLength));
    }

    [Fact]
    public async Task Lists_of_records_nullable_results_and_stream_items_are_binary_too()
    {
        (IRecords proxy, _, _) = await ConnectAsync();

        Assert.Equal(2, await proxy.CountAsync([new Spot(1.5, -2, "a"), new Spot(1.5, -2, "a")]));
        MsgPackValue[] spots = Delivered("ws/p", ".count")["args"].AsArray()[0].AsArray();
        Assert.All(spots, spot => Assert.Equal(SpotBody, ExtBody(spot)));

        Assert.Null(await proxy.FindAsync("none"));
        Assert.Equal(new Spot(1, 2, "x"), await proxy.FindAsync("x"));

        _frames.Clear();
        var path = new List<Spot>();
        await foreach (Spot spot in proxy.PathAsync(3))
        {
            path.Add(spot);
        }

        Assert.Equal([new Spot(0, 0, "s0"), new Spot(1, -1, "s1"), new Spot(2, -2, "s2")], path);
        // Each item came as an ext (the last resolve is the end marker, a map): Spot(2, -2, "s2") starts with its presence bit and 2.0.
        byte[][] items = AllDelivered("ws/c", ".resolve").Select(extra => extra["args"].AsArray()[0])
            .Where(item => item.Kind == MsgPackValueKind.Extension).Select(item => ExtBody(item)).ToArray();
        Assert.Equal(3, items.Length);
        Assert.Equal(new byte[] { 0x01, 0, 0, 0, 0, 0, 0, 0, 0x40 }, items[2][..9]);
    }

    [Fact]
    public async Task The_items_of_a_stream_the_caller_hands_over_are_binary_too()
    {
        (IRecords proxy, _, _) = await ConnectAsync();

        Assert.Equal(4.5, await proxy.SumXAsync(Spots(3)));

        Assert.Equal(Fingerprint, Delivered("ws/p", ".sum_x")["records"].AsString());
        MsgPackValue[] items = AllDelivered("ws/p", ".resolve").Select(extra => extra["args"].AsArray()[0])
            .Where(item => item.Kind == MsgPackValueKind.Extension).ToArray();
        Assert.Equal(3, items.Length);
        Assert.All(items, item => Assert.Equal(SpotBody, ExtBody(item)));
    }

    [Fact]
    public async Task A_callback_of_a_marked_call_is_called_back_with_records_in_binary_form()
    {
        (IRecords proxy, _, _) = await ConnectAsync();

        Assert.Equal(new Spot(2.5, -3, "a"), await proxy.AskAsync(spot => Task.FromResult(spot with { X = spot.X + 1 })));

        // The provider's call of the callback reaches the caller marked, its spot in binary; the caller answers in kind.
        MsgPackMap callback = AllDelivered("ws/c", "").First(extra => extra.TryGetValue("records", out _));
        Assert.Equal(Fingerprint, callback["records"].AsString());
        Assert.Equal(SpotBody, ExtBody(callback["args"].AsArray()[0]));
        MsgPackValue[] answers = AllDelivered("ws/p", ".resolve").Select(extra => extra["args"].AsArray()[0]).ToArray();
        Assert.Contains(answers, answer => answer.Kind == MsgPackValueKind.Extension && ExtBody(answer)[9..17].SequenceEqual(SpotBody[9..17]));

        // A method whose only records are in its callback's arguments is marked too.
        _frames.Clear();
        Assert.Equal(2.5, await proxy.MeasureAsync(spot => Task.FromResult(Math.Abs(spot.X) + Math.Abs(spot.Y) - 1)));
        Assert.Equal(Fingerprint, Delivered("ws/p", ".measure")["records"].AsString());
        Assert.Equal(SpotBody, ExtBody(AllDelivered("ws/c", "").First(extra => extra.TryGetValue("records", out _))["args"].AsArray()[0]));
    }

    [Fact]
    public async Task A_callback_of_an_unmarked_call_is_called_back_with_maps()
    {
        (IRecords proxy, _, _) = await ConnectAsync(callerBinary: false);

        Assert.Equal(new Spot(2.5, -3, "a"), await proxy.AskAsync(spot => Task.FromResult(spot with { X = spot.X + 1 })));

        Assert.DoesNotContain(AllDelivered("ws/c", ""), extra => extra.TryGetValue("records", out _));
        Assert.DoesNotContain(_frames.Select(f => HyphaFrame.Decode(f.Frame).DecodeExtra()).Where(extra => extra is not null && extra.TryGetValue("args", out _))
            .SelectMany(extra => extra!["args"].AsArray()), arg => arg.Kind == MsgPackValueKind.Extension);
    }

    private static async IAsyncEnumerable<Spot> Spots(int n)
    {
        for (int i = 0; i < n; i++)
        {
            await Task.Yield();
            yield return new Spot(1.5, -2, "a");
        }
    }

    [Fact]
    public async Task Calls_without_records_carry_no_marker_and_a_record_holding_a_callback_stays_a_map()
    {
        (IRecords proxy, _, _) = await ConnectAsync();

        Assert.Equal(3, await proxy.AddAsync(1, 2));
        Assert.False(Delivered("ws/p", ".add").TryGetValue("records", out _));

        int reported = 0;
        Assert.Equal("h@1.5,-2", await proxy.DescribeAsync(new Holder("h", new Spot(1.5, -2, "a"), i =>
        {
            reported = i;
            return Task.CompletedTask;
        })));
        Assert.Equal(7, reported);
        MsgPackMap holder = Delivered("ws/p", ".describe")["args"].AsArray()[0].AsMap();
        Assert.Equal("h", holder["name"].AsString());
        Assert.Equal(SpotBody, ExtBody(holder["where"]));
    }

    [Theory]
    [InlineData(false, true, null)]
    [InlineData(true, false, null)]
    [InlineData(true, true, "0123456789abcdef")]
    public async Task Records_are_maps_unless_both_sides_hold_the_same_fingerprint(bool callerBinary, bool providerBinary, string? advertise)
    {
        (IRecords proxy, _, _) = await ConnectAsync(callerBinary, providerBinary, advertise);

        Assert.Equal(new Spot(2.5, -2, "a"), await proxy.MoveAsync(new Spot(1.5, -2, "a"), 1));

        MsgPackMap call = Delivered("ws/p", ".move");
        Assert.False(call.TryGetValue("records", out _));
        Assert.Equal(new MsgPackMap { { "x", 1.5 }, { "y", -2.0 }, { "label", "a" } }, call["args"].AsArray()[0].AsMap());
        Assert.True(Delivered("ws/c", ".resolve")["args"].AsArray()[0].IsMap);
        var path = new List<Spot>();
        await foreach (Spot spot in proxy.PathAsync(2))
        {
            path.Add(spot);
        }

        Assert.Equal(2, path.Count);
        Assert.All(AllDelivered("ws/c", ".resolve"), extra => Assert.NotEqual(MsgPackValueKind.Extension, extra["args"].AsArray()[0].Kind));
    }

    [Fact]
    public async Task A_dynamic_caller_gets_maps_and_may_send_either_form()
    {
        (_, RemoteService dynamic, _) = await ConnectAsync();

        var moved = (IReadOnlyDictionary<string, object?>)(await dynamic.InvokeAsync("move", new Dictionary<string, object?> { ["x"] = 1.5, ["y"] = -2.0 }, 1.0))!;
        Assert.Equal(2.5, moved["x"]);
        Assert.Null(moved["label"]);

        var fromBinary = (IReadOnlyDictionary<string, object?>)(await dynamic.InvokeAsync("move", MsgPackValue.Extension(TypedRecords.ExtensionType, SpotBody), 1.0))!;
        Assert.Equal(2.5, fromBinary["x"]);
        Assert.Equal("a", fromBinary["label"]);
    }

    public static TheoryData<byte[], string> MalformedBodies => new()
    {
        { SpotBody[..10], "The binary form of Spot does not decode" },
        { [.. SpotBody, 0x00], "bytes follow the end of the message" },
        { [0x04, .. SpotBody[1..]], "Presence bits are set for fields that do not exist" },
        { [.. SpotBody[..^2], 0x02, 0xc3, 0x28], "not valid UTF-8" },
        { [.. SpotBody[..^2], 0x7f, (byte)'a'], "runs past the end" },
    };

    [Theory]
    [MemberData(nameof(MalformedBodies))]
    public async Task A_malformed_binary_record_is_the_callers_error(byte[] body, string expected)
    {
        (IRecords proxy, RemoteService dynamic, _) = await ConnectAsync();

        var failure = await Assert.ThrowsAsync<RemoteException>(() => dynamic.InvokeAsync("move", MsgPackValue.Extension(TypedRecords.ExtensionType, body), 1.0));

        Assert.Contains("move: argument 'spot'", failure.Message, StringComparison.Ordinal);
        Assert.Contains(expected, failure.Message, StringComparison.Ordinal);
        Assert.Equal(3, await proxy.AddAsync(1, 2));
    }

    [Fact]
    public async Task A_null_where_the_type_allows_none_fails_the_write_with_its_name()
    {
        (IRecords proxy, _, _) = await ConnectAsync();

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => proxy.DepthAsync(new TreeNode(null!, [])).AsTask());

        Assert.Equal("TreeNode.Name is null, but its type does not allow null.", failure.Message);
        Assert.Equal(1, await proxy.DepthAsync(new TreeNode("a", [])));
    }

    [Fact]
    public async Task Mutated_bodies_of_every_field_family_are_read_or_refused_never_anything_else()
    {
        (IRecords proxy, _, _) = await ConnectAsync();
        await proxy.EchoAsync(Sample());
        byte[] valid = ExtBody(Delivered("ws/p", ".echo")["args"].AsArray()[0]);
        HyphaServiceDescriptor<IRecords> descriptor = HyphaServices.Describe<IRecords>();
        int echo = descriptor.MethodId("echo");
        var random = new Random(8);
        int refused = 0;
        for (int i = 0; i < 2000; i++)
        {
            byte[] body = random.Next(3) switch
            {
                0 => valid[..random.Next(valid.Length)],
                1 => [.. valid, .. Enumerable.Range(0, random.Next(1, 4)).Select(_ => (byte)random.Next(256))],
                _ => Flip(valid, random),
            };
            using TypedResponse response = TypedResponse.Rent(binaryRecords: true);
            var writer = new Protocol.Buffers.PooledBufferWriter(body.Length + 8);
            var args = new MsgPackWriter(writer);
            args.WriteArrayHeader(1);
            args.WriteExtension(TypedRecords.ExtensionType, body);
            args.Flush();
            try
            {
                await descriptor.InvokeAsync(new RecordService(), echo, new TypedRequest(writer.WrittenMemory), response, CancellationToken.None);
            }
            catch (ArgumentException ex) when (ex.Message.StartsWith("echo: argument 'value': ", StringComparison.Ordinal))
            {
                refused++;
            }
            finally
            {
                writer.Dispose();
            }
        }

        // Truncations and additions are always refused; most flips too, but some only change a value.
        Assert.InRange(refused, 1400, 1999);
    }

    private static byte[] Flip(byte[] valid, Random random)
    {
        byte[] copy = [.. valid];
        for (int n = random.Next(1, 4); n > 0; n--)
        {
            copy[random.Next(copy.Length)] ^= (byte)random.Next(1, 256);
        }

        return copy;
    }

    [Fact]
    public async Task A_malformed_binary_result_fails_the_proxys_call_not_the_connection()
    {
        RpcPeer provider = _net.Add("ws", "p", binaryRecords: true);
        RpcPeer caller = _net.Add("ws", "c", binaryRecords: true);
        provider.AddService(new Services.ServiceBuilder("records")
            .Config(TypedRecords.ConfigKey, Fingerprint)
            .Add("move", (MsgPackValue spot, double dx) => MsgPackValue.Extension(TypedRecords.ExtensionType, [0x01, 0x02]))
            .Add("add", (int a, int b) => a + b)
            .Build());
        var getService = RemoteMethod.Create("ws/p", "services.built-in.get_service", RemotePromiseMode.Compact);
        var service = new RemoteService((IReadOnlyDictionary<string, object?>)(await caller.CallAsync(getService, ["records"], null, null, CancellationToken.None))!);
        IRecords proxy = HyphaServices.Describe<IRecords>().CreateProxy(new TypedRemoteService(caller, service, HyphaServices.Describe<IRecords>()));

        var failure = await Assert.ThrowsAsync<InvalidCastException>(() => proxy.MoveAsync(new Spot(1.5, -2, "a"), 1).AsTask());

        Assert.Contains("The binary form of Spot does not decode", failure.Message, StringComparison.Ordinal);
        Assert.Equal(SpotBody, ExtBody(Delivered("ws/p", ".move")["args"].AsArray()[0]));
        Assert.Equal(3, await proxy.AddAsync(1, 2));
    }

    [Fact]
    public async Task Other_extensions_nesting_bombs_and_another_contract_version_are_rejected()
    {
        (IRecords proxy, RemoteService dynamic, RpcPeer caller) = await ConnectAsync();

        var otherType = await Assert.ThrowsAsync<RemoteException>(() => dynamic.InvokeAsync("move", MsgPackValue.Extension(0x11, SpotBody), 1.0));
        Assert.Contains("Expected Spot (a map) but found an extension of type 17", otherType.Message, StringComparison.Ordinal);

        // A chain of 100 trees through Next: presence (Next), name "a", no children, then the next one.
        byte[] bomb = [.. Enumerable.Repeat<byte[]>([0x01, 0x01, (byte)'a', 0x00], 100).SelectMany(b => b), 0x00, 0x01, (byte)'a', 0x00];
        var deep = await Assert.ThrowsAsync<RemoteException>(() => dynamic.InvokeAsync("depth", MsgPackValue.Extension(TypedRecords.ExtensionType, bomb)));
        Assert.Contains("Nesting deeper than 64", deep.Message, StringComparison.Ordinal);

        var function = ((RemoteFunction)dynamic.Members["move"]!).Descriptor;
        var call = new TypedOutgoingCall(caller, function, null, cancelRemotely: false, records: "0123456789abcdef");
        MsgPackWriter writer = call.StartArguments(2);
        writer.WriteExtension(TypedRecords.ExtensionType, SpotBody);
        writer.Write(1.0);
        call.EndArguments(ref writer);
        var version = await Assert.ThrowsAsync<RemoteException>(() => call.InvokeAsync(static (ref MsgPackReader reader, TypedReadContext _) => reader.ReadDouble(), default).AsTask());
        Assert.Contains("contract version 0123456789abcdef", version.Message, StringComparison.Ordinal);
        Assert.Contains(Fingerprint, version.Message, StringComparison.Ordinal);

        Assert.Equal(new Spot(2.5, -2, "a"), await proxy.MoveAsync(new Spot(1.5, -2, "a"), 1));
    }
}
