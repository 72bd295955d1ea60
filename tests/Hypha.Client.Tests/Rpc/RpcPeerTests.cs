using System.Runtime.CompilerServices;
using Hypha.Client.Rpc;
using Hypha.Client.Services;
using Hypha.Protocol.Messages;
using Hypha.Protocol.MsgPack;
using Hypha.Protocol.Objects;
using Hypha.Protocol.Native;
using Hypha.Protocol.Schemas;
using Hypha.Transport.Multiplexing;

namespace Hypha.Client.Tests.Rpc;

public class RpcPeerTests
{
    private static async Task<RemoteService> GetServiceAsync(RpcPeer caller, string provider, string serviceId)
    {
        var getService = RemoteMethod.Create(provider, "services.built-in.get_service", RemotePromiseMode.Compact);
        object? map = await caller.CallAsync(getService, [serviceId], null, null, CancellationToken.None);
        return new RemoteService((IReadOnlyDictionary<string, object?>)map!);
    }

    private static async IAsyncEnumerable<int> CountAsync(int n, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        for (int i = 0; i < n; i++)
        {
            await Task.Yield();
            yield return i;
        }
    }

    [Fact]
    public async Task CallsAServiceFunctionWithPositionalAndKeywordArguments()
    {
        await using var net = new PeerNetwork();
        RpcPeer provider = net.Add("ws", "p");
        RpcPeer caller = net.Add("ws", "c");
        provider.AddService(new ServiceBuilder("calc")
            .Add("add", (int a, int b) => a + b)
            .Add("math.scale", (double value, double factor = 2) => value * factor)
            .Build());

        RemoteService calc = await GetServiceAsync(caller, "ws/p", "calc");

        Assert.Equal(3, await calc.InvokeAsync<int>("add", 1, 2));
        Assert.Equal(7.5, await calc.InvokeAsync<double>("math.scale", 2.5, 3));
        Assert.Equal(5.0, await calc.InvokeAsync<double>("math.scale", 2.5));
        Assert.Equal(30.0, await calc.InvokeAsync<double>("math.scale", [], new Dictionary<string, object?> { ["value"] = 10, ["factor"] = 3 }));
        Assert.Equal(0, caller.SessionCount);
    }

    [Fact]
    public async Task ErrorsTravelBothWaysWithTheirMessage()
    {
        await using var net = new PeerNetwork();
        RpcPeer provider = net.Add("ws", "p");
        RpcPeer caller = net.Add("ws", "c");
        provider.AddService(new ServiceBuilder("svc")
            .Add("fail", new Func<int>(() => throw new InvalidOperationException("boom")))
            .Add("add", (int a, int b) => a + b)
            .Build());
        RemoteService svc = await GetServiceAsync(caller, "ws/p", "svc");

        var error = await Assert.ThrowsAsync<RemoteException>(() => svc.InvokeAsync("fail"));
        Assert.Equal("boom", error.Message);
        Assert.Contains("InvalidOperationException", error.RemoteTrace ?? string.Empty, StringComparison.Ordinal);

        var bad = await Assert.ThrowsAsync<RemoteException>(() => svc.InvokeAsync("add", 1));
        Assert.Contains("missing argument 'b'", bad.Message, StringComparison.Ordinal);
        var wrongType = await Assert.ThrowsAsync<RemoteException>(() => svc.InvokeAsync("add", "x", 2));
        Assert.Contains("argument 'a'", wrongType.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFireAndForgetCallKeepsASessionOnlyForTheCallbacksItHandsOut()
    {
        await using var net = new PeerNetwork();
        RpcPeer provider = net.Add("ws", "p");
        RpcPeer caller = net.Add("ws", "c");
        var taken = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var calledBack = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        provider.AddService(new ServiceBuilder("svc")
            .Add("take", (int a, string b, string? c) => taken.TrySetResult($"{a} {b} {c ?? "null"}"))
            .Add("later", async (RemoteFunction callback) => await callback.InvokeAsync(7))
            .Build());

        // Plain values hand out nothing: nothing stays behind the call.
        var take = RemoteMethod.Create("ws/p", "services.svc.take", RemotePromiseMode.None);
        Assert.Null(await caller.CallAsync(take, [1, "two", null], null, null, CancellationToken.None));
        Assert.Equal(0, caller.SessionCount);
        Assert.Equal("1 two null", await taken.Task.WaitAsync(TimeSpan.FromSeconds(10)));

        // A callback must stay reachable after the call is sent: its session lives on.
        var later = RemoteMethod.Create("ws/p", "services.svc.later", RemotePromiseMode.None);
        await caller.CallAsync(later, [new Action<int>(value => calledBack.TrySetResult(value))], null, null, CancellationToken.None);
        Assert.Equal(1, caller.SessionCount);
        Assert.Equal(7, await calledBack.Task.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task UnknownServiceOrFunctionIsReported()
    {
        await using var net = new PeerNetwork();
        net.Add("ws", "p");
        RpcPeer caller = net.Add("ws", "c");

        var missing = RemoteMethod.Create("ws/p", "services.nope.f", RemotePromiseMode.Compact);
        var error = await Assert.ThrowsAsync<RemoteException>(() => caller.CallAsync(missing, [], null, null, CancellationToken.None));
        Assert.StartsWith("Method not found", error.Message, StringComparison.Ordinal);

        var noSession = RemoteMethod.Create("ws/p", "nosuchsession.obj", RemotePromiseMode.Compact);
        error = await Assert.ThrowsAsync<RemoteException>(() => caller.CallAsync(noSession, [], null, null, CancellationToken.None));
        Assert.StartsWith("Session not found", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CallbackArgumentIsCalledBackDuringTheCall()
    {
        await using var net = new PeerNetwork();
        RpcPeer provider = net.Add("ws", "p");
        RpcPeer caller = net.Add("ws", "c");
        provider.AddService(new ServiceBuilder("svc")
            .Add("run", async (int steps, RemoteFunction progress) =>
            {
                int sum = 0;
                for (int i = 1; i <= steps; i++)
                {
                    sum += await progress.InvokeAsync<int>(i);
                }

                return sum;
            })
            .Build());
        RemoteService svc = await GetServiceAsync(caller, "ws/p", "svc");
        var seen = new List<int>();

        int total = await svc.InvokeAsync<int>("run", 3, new Func<int, int>(step =>
        {
            lock (seen)
            {
                seen.Add(step);
            }

            return step * 10;
        }));

        Assert.Equal(60, total);
        Assert.Equal([1, 2, 3], seen);
        Assert.Equal(0, caller.SessionCount);
    }

    [Fact]
    public async Task GeneratorsWorkInBothDirections()
    {
        await using var net = new PeerNetwork();
        RpcPeer provider = net.Add("ws", "p");
        RpcPeer caller = net.Add("ws", "c");
        provider.AddService(new ServiceBuilder("svc")
            .Add("count", (int n) => CountAsync(n))
            .Add("sum", async (IAsyncEnumerable<int> items) =>
            {
                int sum = 0;
                await foreach (int item in items)
                {
                    sum += item;
                }

                return sum;
            })
            .Build());
        RemoteService svc = await GetServiceAsync(caller, "ws/p", "svc");

        var items = new List<int>();
        await foreach (int item in await svc.InvokeAsync<IAsyncEnumerable<int>>("count", 5))
        {
            items.Add(item);
        }

        Assert.Equal([0, 1, 2, 3, 4], items);

        // A generator that ended takes its session with it: nothing can call into it any more.
        Assert.Equal(0, provider.SessionCount);
        Assert.Equal(45, await svc.InvokeAsync<int>("sum", CountAsync(10)));
        Assert.Equal(0, caller.SessionCount);
    }

    [Fact]
    public async Task LeavingAGeneratorEarlyClosesItOnTheOwner()
    {
        await using var net = new PeerNetwork();
        RpcPeer provider = net.Add("ws", "p");
        RpcPeer caller = net.Add("ws", "c");
        var disposed = new TaskCompletionSource();
        async IAsyncEnumerable<int> Endless()
        {
            try
            {
                for (int i = 0; ; i++)
                {
                    await Task.Yield();
                    yield return i;
                }
            }
            finally
            {
                disposed.TrySetResult();
            }
        }

        provider.AddService(new ServiceBuilder("svc").Add("endless", () => Endless()).Build());
        RemoteService svc = await GetServiceAsync(caller, "ws/p", "svc");

        await foreach (int item in await svc.InvokeAsync<IAsyncEnumerable<int>>("endless"))
        {
            if (item == 2)
            {
                break;
            }
        }

        await disposed.Task.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(0, provider.SessionCount);
    }

    [Fact]
    public async Task HeartbeatsKeepALongCallAlivePastItsTimeout()
    {
        await using var net = new PeerNetwork();
        RpcPeer provider = net.Add("ws", "p");
        // Heartbeats come every timeout / 2, so each leaves half the timeout as slack for scheduling delays: 1 s here.
        RpcPeer caller = net.Add("ws", "c", timeout: TimeSpan.FromSeconds(2));
        provider.AddService(new ServiceBuilder("svc")
            .Add("slow", async () =>
            {
                await Task.Delay(4500);
                return "done";
            })
            .Build());
        RemoteService svc = await GetServiceAsync(caller, "ws/p", "svc");

        Assert.Equal("done", await svc.InvokeAsync<string>("slow"));
    }

    [Fact]
    public async Task CallWithoutAnswerOrHeartbeatTimesOutAndFreesItsSession()
    {
        await using var net = new PeerNetwork();
        RpcPeer caller = net.Add("ws", "c", timeout: TimeSpan.FromMilliseconds(300));
        var nowhere = RemoteMethod.Create("ws/gone", "services.svc.f", RemotePromiseMode.Compact);

        var error = await Assert.ThrowsAsync<TimeoutException>(() => caller.CallAsync(nowhere, [], null, null, CancellationToken.None));

        Assert.Contains("ws/gone:services.svc.f", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, caller.SessionCount);
    }

    [Fact]
    public async Task CancelledCallStopsWaitingAndFreesItsSession()
    {
        await using var net = new PeerNetwork();
        RpcPeer caller = net.Add("ws", "c");
        var nowhere = RemoteMethod.Create("ws/gone", "services.svc.f", RemotePromiseMode.Compact);
        using var cts = new CancellationTokenSource(100);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => caller.CallAsync(nowhere, [], null, null, cts.Token));

        Assert.Equal(0, caller.SessionCount);
    }

    [Fact]
    public async Task PendingCallsToADisconnectedPeerAreRejected()
    {
        await using var net = new PeerNetwork();
        RpcPeer caller = net.Add("ws", "c");
        var nowhere = RemoteMethod.Create("ws/gone", "services.svc.f", RemotePromiseMode.Compact);
        Task<object?> call = caller.CallAsync(nowhere, [], null, null, CancellationToken.None);

        caller.RejectSessionsOf("ws/gone", "Client disconnected");

        var error = await Assert.ThrowsAsync<RemoteException>(() => call);
        Assert.StartsWith("Client disconnected", error.Message, StringComparison.Ordinal);
    }

    // 16 KiB chunks, and chunks smaller than a frame's main (which is then read across several of them).
    [Theory]
    [InlineData(16 * 1024)]
    [InlineData(64)]
    public async Task LargeArgumentsAndResultsTravelInChunks(int chunkSize)
    {
        await using var net = new PeerNetwork();
        RpcPeer provider = net.Add("ws", "p", chunkSize: chunkSize);
        RpcPeer caller = net.Add("ws", "c", chunkSize: chunkSize);
        provider.AddService(new ServiceBuilder("svc").Add("reverse", (byte[] data) => data.Reverse().ToArray()).Build());
        RemoteService svc = await GetServiceAsync(caller, "ws/p", "svc");
        byte[] payload = new byte[Math.Max(chunkSize * 60, 100_000)];
        new Random(7).NextBytes(payload);

        byte[] result = await svc.InvokeAsync<byte[]>("reverse", payload);

        Assert.Equal(payload.Reverse(), result);
        Assert.True(net.LargestFrame < chunkSize + 4 * 1024, $"largest frame {net.LargestFrame} bytes should be one chunk");
    }

    [Fact]
    public async Task ProtectedServicesRefuseOtherWorkspaces()
    {
        await using var net = new PeerNetwork();
        RpcPeer provider = net.Add("ws-a", "p");
        RpcPeer outsider = net.Add("ws-b", "c");
        RpcPeer trusted = net.Add("ws-t", "c");
        provider.AddService(new ServiceBuilder("secret").Add("f", () => 1).AuthorizeWorkspaces("ws-t").Build());
        provider.AddService(new ServiceBuilder("open").Visibility(ServiceVisibility.Public).Add("f", () => 2).Build());

        await Assert.ThrowsAsync<RemoteException>(() => GetServiceAsync(outsider, "ws-a/p", "secret"));
        var direct = RemoteMethod.Create("ws-a/p", "services.secret.f", RemotePromiseMode.Compact);
        var denied = await Assert.ThrowsAsync<RemoteException>(() => outsider.CallAsync(direct, [], null, null, CancellationToken.None));
        Assert.StartsWith("Permission denied", denied.Message, StringComparison.Ordinal);

        Assert.Equal(1L, await trusted.CallAsync(direct, [], null, null, CancellationToken.None));
        Assert.Equal(2, await (await GetServiceAsync(outsider, "ws-a/p", "open")).InvokeAsync<int>("f"));
    }

    [Fact]
    public async Task OnlyTheTargetOfASessionMayCallItsCallbacks()
    {
        await using var net = new PeerNetwork();
        RpcPeer provider = net.Add("ws", "p");
        RpcPeer caller = net.Add("ws", "c");
        RpcPeer intruder = net.Add("ws", "x");
        var captured = new TaskCompletionSource<RemoteFunction>();
        var release = new TaskCompletionSource();
        provider.AddService(new ServiceBuilder("svc").Add("hold", async (RemoteFunction callback) =>
        {
            captured.SetResult(callback);
            await release.Task;
        }).Build());
        RemoteService svc = await GetServiceAsync(caller, "ws/p", "svc");
        Task call = svc.InvokeAsync("hold", new Func<int>(() => 42));
        RemoteFunction callback = await captured.Task;

        var stolen = RemoteMethod.Create(callback.Descriptor.Target, callback.Descriptor.Method, RemotePromiseMode.Compact);
        var error = await Assert.ThrowsAsync<RemoteException>(() => intruder.CallAsync(stolen, [], null, null, CancellationToken.None));
        Assert.StartsWith("Access denied", error.Message, StringComparison.Ordinal);
        Assert.Equal(42, await callback.InvokeAsync<int>());

        release.SetResult();
        await call;
    }

    [Fact]
    public async Task OnlyTheTargetOfACallMayAnswerIt()
    {
        await using var net = new PeerNetwork();
        RpcPeer caller = net.Add("ws", "c");
        RpcPeer intruder = net.Add("ws", "x");
        (Task<int> call, string id, TaskCompletionSource release) = await HeldCallAsync(net, caller);
        foreach (string answer in new[] { HyphaKeys.Resolve, HyphaKeys.Reject })
        {
            var forged = RemoteMethod.Create("ws/c", $"{id}.{answer}", RemotePromiseMode.None);
            await intruder.CallAsync(forged, [99], null, null, CancellationToken.None);
        }

        await Task.Delay(200);
        Assert.False(call.IsCompleted);
        release.SetResult();
        Assert.Equal(1, await call.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    // A native connection's answers in the binary form are taken from their body: by the call's target alone, and with
    // the value they carry.
    [Fact]
    public async Task A_binary_answer_settles_the_call_only_from_its_target()
    {
        await using var net = new PeerNetwork();
        RpcPeer caller = net.Add("ws", "c");
        (Task<int> call, string id, TaskCompletionSource release) = await HeldCallAsync(net, caller);

        var sender = new InternSendTable();
        var receiver = new InternReceiveTable();
        await caller.HandleBinaryAsync(BinaryResolve("ws/x", id, 99, sender, receiver));
        Assert.False(call.IsCompleted);

        await caller.HandleBinaryAsync(BinaryResolve("ws/p", id, 42, sender, receiver));
        Assert.Equal(42, await call.WaitAsync(TimeSpan.FromSeconds(10)));
        release.SetResult();
    }

    // A call of caller's to ws/p's "svc.hold", which holds it until release: with the session id the call was sent in.
    private static async Task<(Task<int> Call, string Session, TaskCompletionSource Release)> HeldCallAsync(PeerNetwork net, RpcPeer caller)
    {
        RpcPeer provider = net.Add("ws", "p");
        var session = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        net.Delivering = (to, frame) =>
        {
            if (to == "ws/p" && RpcMessages.TryRead(frame, MsgPackReaderOptions.Default) is { Method: "services.svc.hold", Session: { } id })
            {
                session.TrySetResult(id);
            }
        };
        var release = new TaskCompletionSource();
        provider.AddService(new ServiceBuilder("svc").Add("hold", async () =>
        {
            await release.Task;
            return 1;
        }).Build());
        RemoteService svc = await GetServiceAsync(caller, "ws/p", "svc");
        Task<int> call = svc.InvokeAsync<int>("hold");
        return (call, await session.Task.WaitAsync(TimeSpan.FromSeconds(10)), release);
    }

    // A resolve as a native connection delivers it: the body of the built-in envelope, its definitions in receiver.
    private static InboundMessage BinaryResolve(string from, string session, int value, InternSendTable sender, InternReceiveTable receiver)
    {
        var message = new RpcMethodV4
        {
            Type = HyphaKeys.MethodType,
            From = from,
            To = "ws/c",
            Method = $"{session}.{HyphaKeys.Resolve}",
            Parent = session,
            Ws = "ws",
            Args = RawMsgPack.From(new MsgPackValue[] { value }),
        };
        var output = new System.Buffers.ArrayBufferWriter<byte>();
        SchemaMessage.Write(output, 0, message, sender);
        var reader = new SchemaReader(output.WrittenMemory, receiver);
        SchemaMessage.ReadHeader(ref reader);
        return new InboundMessage(NativeChannel.Rpc, output.WrittenMemory[reader.Consumed..], MessageFormat.Schema)
        {
            Schema = EnvelopeSchemas.DefaultOffers[0],
            SchemaNumber = 0,
            Interns = receiver,
        };
    }

    [Fact]
    public async Task ContextCarriesTheTrustedCaller()
    {
        await using var net = new PeerNetwork();
        RpcPeer provider = net.Add("ws", "p");
        RpcPeer caller = net.Add("ws", "c");
        provider.AddService(new ServiceBuilder("svc").RequireContext().Add("whoami", (RpcContext context) => context.From).Build());
        RemoteService svc = await GetServiceAsync(caller, "ws/p", "svc");

        Assert.Equal("ws/c", await svc.InvokeAsync<string>("whoami"));
    }

    [Fact]
    public async Task ManyConcurrentCallsAllComplete()
    {
        await using var net = new PeerNetwork();
        RpcPeer provider = net.Add("ws", "p");
        RpcPeer caller = net.Add("ws", "c");
        provider.AddService(new ServiceBuilder("svc").Add("echo", (int x) => x).Build());
        RemoteService svc = await GetServiceAsync(caller, "ws/p", "svc");

        int[] results = await Task.WhenAll(Enumerable.Range(0, 1000).Select(i => svc.InvokeAsync<int>("echo", i)));

        Assert.Equal(Enumerable.Range(0, 1000), results);
        Assert.Equal(0, caller.SessionCount);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task GarbageFramesAreDroppedAndThePeerCarriesOn(bool lent)
    {
        await using var net = new PeerNetwork();
        RpcPeer provider = net.Add("ws", "p");
        RpcPeer caller = net.Add("ws", "c");
        provider.AddService(new ServiceBuilder("svc").Add("one", () => 1).Build());
        Func<ReadOnlyMemory<byte>, ValueTask> handle = lent ? provider.HandleLentFrameAsync : provider.HandleFrameAsync;

        await handle(new byte[] { 0xc1, 0x00 });
        await handle(new byte[] { 0x81, 0xa4 });
        await handle(new byte[] { 0x92, 0x01, 0x02 });
        await handle(RpcMessages.ToFrame(new RpcMethodV4 { Type = "method", From = "ws/c", To = "ws/p", Method = "services.svc.one", Args = RawMsgPack.From(1) }));

        Assert.Equal(1, await (await GetServiceAsync(caller, "ws/p", "svc")).InvokeAsync<int>("one"));
    }

    [Fact]
    public async Task DictionaryAndObjectResultsAreEncodedAsMaps()
    {
        await using var net = new PeerNetwork();
        RpcPeer provider = net.Add("ws", "p");
        RpcPeer caller = net.Add("ws", "c");
        provider.AddService(new ServiceBuilder("svc")
            .Add("dict", () => new Dictionary<string, object?> { ["a"] = 1, ["nested"] = new Dictionary<string, int> { ["b"] = 2 } })
            .Add("record", () => new Point(3, 4))
            .Build());
        RemoteService svc = await GetServiceAsync(caller, "ws/p", "svc");

        var dict = await svc.InvokeAsync<Dictionary<string, object?>>("dict");
        Assert.Equal(1L, dict["a"]);
        Assert.Equal(2L, ((IReadOnlyDictionary<string, object?>)dict["nested"]!)["b"]);
        Assert.Equal(new Point(3, 4), await svc.InvokeAsync<Point>("record"));
    }

    [Fact]
    public async Task AResultThatCannotBeEncodedIsReportedToTheCaller()
    {
        await using var net = new PeerNetwork();
        RpcPeer provider = net.Add("ws", "p");
        RpcPeer caller = net.Add("ws", "c");
        provider.AddService(new ServiceBuilder("svc").Add("bad", () => new Dictionary<int, int> { [1] = 1 }).Build());
        RemoteService svc = await GetServiceAsync(caller, "ws/p", "svc");

        var error = await Assert.ThrowsAsync<RemoteException>(() => svc.InvokeAsync("bad"));
        Assert.Contains("keys must be strings", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WhatCallsAndResultsKeepOutlivesTheLentFramesTheyArrivedIn()
    {
        // The network overwrites every frame once its receiver has handled it, as a WebSocket's next read would.
        await using var net = new PeerNetwork();
        RpcPeer provider = net.Add("ws", "p");
        RpcPeer caller = net.Add("ws", "c");
        provider.AddService(new ServiceBuilder("svc").RequireContext()
            .Add("later", async (MsgPackValue value, RpcContext context) =>
            {
                await Task.Delay(20);
                return new MsgPackValue[] { value, context.User is { } user ? user["id"] : MsgPackValue.Nil };
            })
            .Build());
        RemoteService svc = await GetServiceAsync(caller, "ws/p", "svc");
        byte[] payload = Enumerable.Range(0, 300).Select(i => (byte)i).ToArray();

        Task<object?>[] calls = Enumerable.Range(0, 20).Select(_ => svc.InvokeAsync("later", payload)).ToArray();
        await Task.Delay(100);

        foreach (Task<object?> call in calls)
        {
            var result = (IReadOnlyList<object?>)(await call)!;
            Assert.Equal(payload, (byte[])result[0]!);
            Assert.Equal("ws/c", result[1]);
        }
    }

    public sealed record Point(int X, int Y);
}
