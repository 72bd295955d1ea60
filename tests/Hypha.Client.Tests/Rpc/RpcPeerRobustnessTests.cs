using System.Buffers;
using Hypha.Client.Rpc;
using Hypha.Client.Services;
using Hypha.Protocol.Messages;
using Hypha.Protocol.MsgPack;
using Hypha.Protocol.Objects;

namespace Hypha.Client.Tests.Rpc;

public class RpcPeerRobustnessTests
{
    private static byte[] Frame(MsgPackMap main, MsgPackMap? extra = null)
    {
        var output = new ArrayBufferWriter<byte>();
        HyphaFrame.Write(output, main, extra);
        return output.WrittenSpan.ToArray();
    }

    [Fact]
    public async Task AThrowingEventHandlerDoesNotStopThePeer()
    {
        await using var net = new PeerNetwork();
        RpcPeer provider = net.Add("ws", "p");
        RpcPeer caller = net.Add("ws", "c");
        provider.AddService(new ServiceBuilder("svc").Add("one", () => 1).Build());
        int seen = 0;
        caller.EventReceived += (_, _) =>
        {
            seen++;
            throw new InvalidOperationException("handler bug");
        };

        await caller.HandleFrameAsync(Frame(new MsgPackMap { { "type", "custom_event" }, { "to", "*" }, { "data", 1 } }));

        Assert.Equal(1, seen);
        var one = RemoteMethod.Create("ws/p", "services.svc.one", RemotePromiseMode.Compact);
        Assert.Equal(1L, await caller.CallAsync(one, [], null, null, CancellationToken.None));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AnEventFromALentFrameKeepsItsValuesAfterTheFrameIsReused(bool keysOfItsOwn)
    {
        await using var net = new PeerNetwork();
        RpcPeer peer = net.Add("ws", "p");
        MsgPackMap? seen = null;
        peer.EventReceived += (_, map) => seen = map;
        byte[] payload = Enumerable.Range(0, 200).Select(i => (byte)i).ToArray();
        // An event of rpc_method_v4's shape is read as that message; one with a key of its own goes through maps.
        var main = new MsgPackMap { { "type", "custom_event" }, { "to", "*" }, { "user", new MsgPackMap { { "id", "u1" } } } };
        MsgPackMap extra = keysOfItsOwn ? new MsgPackMap { { "blob", payload } } : new MsgPackMap { { "args", new MsgPackValue[] { payload } } };
        byte[] frame = Frame(main, extra);

        await peer.HandleLentFrameAsync(frame);
        frame.AsSpan().Fill(0xEE);

        Assert.NotNull(seen);
        MsgPackValue value = keysOfItsOwn ? seen["blob"] : seen["args"].AsArray()[0];
        Assert.Equal(payload, value.AsBinary().ToArray());
        Assert.Equal("u1", seen["user"].AsMap()["id"].AsString());
    }

    [Theory]
    [InlineData("/x")]
    [InlineData("")]
    public async Task CallsWithDegenerateAddressesAreDropped(string from)
    {
        await using var net = new PeerNetwork();
        RpcPeer provider = net.Add("ws", "p");
        provider.AddService(new ServiceBuilder("svc").Add("one", () => 1).Build());
        var promise = new ExplicitPromise(RemoteMethod.Create("c", "S.resolve"), RemoteMethod.Create("c", "S.reject"), null, null);
        MsgPackMap main = HyphaEnvelope.CreateCall(from, "ws/p", "services.svc.one", "S").Main;

        await provider.HandleFrameAsync(Frame(main, HyphaCall.Create([], promise: promise).Extra));

        Assert.Equal(0, provider.SessionCount);
    }

    [Fact]
    public async Task CallsBeyondTheConcurrencyLimitAreRejectedAtOnce()
    {
        await using var net = new PeerNetwork();
        RpcPeer provider = net.Add("ws", "p", maxConcurrentCalls: 2);
        RpcPeer caller = net.Add("ws", "c");
        var release = new TaskCompletionSource();
        int started = 0;
        provider.AddService(new ServiceBuilder("svc").Add("hold", async () =>
        {
            Interlocked.Increment(ref started);
            await release.Task;
            return "ok";
        }).Build());
        var hold = RemoteMethod.Create("ws/p", "services.svc.hold", RemotePromiseMode.Compact);

        Task<object?> first = caller.CallAsync(hold, [], null, null, CancellationToken.None);
        Task<object?> second = caller.CallAsync(hold, [], null, null, CancellationToken.None);
        while (Volatile.Read(ref started) < 2)
        {
            await Task.Delay(10);
        }

        var error = await Assert.ThrowsAsync<RemoteException>(() => caller.CallAsync(hold, [], null, null, CancellationToken.None));
        Assert.StartsWith("Too many concurrent calls", error.Message, StringComparison.Ordinal);

        release.SetResult();
        Assert.Equal("ok", await first);
        Assert.Equal("ok", await second);
        Assert.Equal("ok", await caller.CallAsync(hold, [], null, null, CancellationToken.None));
    }
}
