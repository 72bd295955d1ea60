using System.Buffers;
using Hypha.Client.Rpc;
using Hypha.Client.Services;
using Hypha.Protocol.Messages;
using Hypha.Protocol.MsgPack;
using Hypha.Protocol.Objects;

namespace Hypha.Client.Tests.Rpc;

/// <summary>
/// What Python hypha-rpc peers send differently from JavaScript ones (hypha-protocol.md section 8), as raw frames:
/// the Python client cannot be installed here, so these frames are written by hand from the protocol.
/// </summary>
public class PythonPeerTests
{
    private sealed class Outbox
    {
        public List<HyphaFrame> Frames { get; } = [];

        public ValueTask Send(ReadOnlyMemory<byte> frame, Hypha.Protocol.Native.NativeChannel channel, CancellationToken cancellationToken)
        {
            lock (Frames)
            {
                Frames.Add(HyphaFrame.Decode(frame.ToArray()));
            }

            return ValueTask.CompletedTask;
        }

        public async Task<HyphaFrame> WaitForAsync(Func<HyphaFrame, bool> match)
        {
            for (int i = 0; i < 500; i++)
            {
                lock (Frames)
                {
                    if (Frames.FirstOrDefault(match) is { } frame)
                    {
                        return frame;
                    }
                }

                await Task.Delay(10);
            }

            throw new TimeoutException("The expected frame was not sent.");
        }
    }

    private static RpcPeer Peer(Outbox outbox, TimeSpan? timeout = null) => new(new RpcPeerOptions
    {
        Workspace = "ws-dotnet",
        ClientId = "dotnet",
        ServerUrl = "http://test",
        MethodTimeout = timeout ?? TimeSpan.FromSeconds(10),
    }, (message, channel, cancellationToken) => outbox.Send(RpcMessages.ToFrame(message), channel, cancellationToken));

    private static byte[] Frame(MsgPackMap main, MsgPackMap? extra)
    {
        var output = new ArrayBufferWriter<byte>();
        HyphaFrame.Write(output, main, extra);
        return output.WrittenSpan.ToArray();
    }

    private static MsgPackMap Stamped(string from, string method, string? session = null, string? parent = null)
    {
        MsgPackMap main = HyphaEnvelope.CreateCall(from, "ws-dotnet/dotnet", method, session, parent).Main;
        main.Set(HyphaKeys.Workspace, from.Split('/')[0]);
        return main;
    }

    [Fact]
    public async Task APythonHeartbeatWithoutExtraRenewsTheTimeout()
    {
        var outbox = new Outbox();
        await using RpcPeer peer = Peer(outbox, TimeSpan.FromMilliseconds(1500));
        var slow = RemoteMethod.Create("ws-py/py", "services.svc.slow", RemotePromiseMode.Compact);
        Task<object?> call = peer.CallAsync(slow, [], null, null, CancellationToken.None);
        string session = (await outbox.WaitForAsync(f => f.Envelope.Method == "services.svc.slow")).Envelope.Session!;

        // Python sends heartbeats as main alone: no extra segment at all.
        for (int i = 0; i < 8; i++)
        {
            await Task.Delay(400);
            await peer.HandleFrameAsync(Frame(Stamped("ws-py/py", $"{session}.heartbeat", parent: session), null));
        }

        Assert.False(call.IsCompleted, "heartbeats without extra must keep the call alive for twice its 1.5 s timeout");
        await peer.HandleFrameAsync(Frame(Stamped("ws-py/py", $"{session}.resolve", parent: session),
            HyphaCall.Create([42.0]).Extra));
        Assert.Equal(42.0, await call);
    }

    [Fact]
    public async Task AnAnswerFromAnotherAddressThanTheCalledPeerDoesNotCompleteTheCall()
    {
        var outbox = new Outbox();
        await using RpcPeer peer = Peer(outbox);
        var add = RemoteMethod.Create("ws-py/py", "services.svc.add", RemotePromiseMode.Compact);
        Task<object?> call = peer.CallAsync(add, [], null, null, CancellationToken.None);
        string session = (await outbox.WaitForAsync(f => f.Envelope.Method == "services.svc.add")).Envelope.Session!;

        await peer.HandleFrameAsync(Frame(Stamped("ws-py/intruder", $"{session}.resolve", parent: session), HyphaCall.Create([666.0]).Extra));
        await peer.HandleFrameAsync(Frame(Stamped("ws-py/intruder", $"{session}.reject", parent: session), HyphaCall.Create(["no"]).Extra));

        Assert.False(call.IsCompleted, "only the called peer may answer its call");
        await peer.HandleFrameAsync(Frame(Stamped("ws-py/py", $"{session}.resolve", parent: session), HyphaCall.Create([42.0]).Extra));
        Assert.Equal(42.0, await call);
    }

    [Fact]
    public async Task PythonCallsWithKeywordsAbsoluteTargetsAndContextAreServed()
    {
        var outbox = new Outbox();
        await using RpcPeer peer = Peer(outbox);
        peer.AddService(new ServiceBuilder("svc")
            .Visibility(ServiceVisibility.Public)
            .RequireContext("scale")
            .Add("scale", (double value, double factor, RpcContext context) => $"{value * factor} for {context.From}")
            .Build());

        // Python: scale(2, factor=1.5) with the explicit promise whose callbacks carry absolute targets (ws/cid).
        var promise = new ExplicitPromise(
            RemoteMethod.Create("ws-py/py", "S1.resolve"), RemoteMethod.Create("ws-py/py", "S1.reject"), null, null);
        HyphaCall call = HyphaCall.Create([2], new MsgPackMap { { "factor", 1.5 } }, promise);
        await peer.HandleFrameAsync(Frame(Stamped("ws-py/py", "services.svc.scale", session: "S1"), call.Extra));

        HyphaFrame answer = await outbox.WaitForAsync(f => f.Envelope.Method is "S1.resolve" or "S1.reject");
        Assert.Equal("S1.resolve", answer.Envelope.Method);
        Assert.Equal("ws-py/py", answer.Envelope.To);
        Assert.Equal("S1", answer.Envelope.Parent);
        Assert.Equal("3 for ws-py/py", new HyphaCall(answer.DecodeExtra()!).Args[0].AsString());
    }

    [Fact]
    public async Task AnAbsoluteTargetFromPythonIsKeptAsItIs()
    {
        var outbox = new Outbox();
        await using RpcPeer peer = Peer(outbox);
        var call = RemoteMethod.Create("ws-py/py", "services.svc.get_callback", RemotePromiseMode.Compact);
        Task<object?> pending = peer.CallAsync(call, [], null, null, CancellationToken.None);
        string session = (await outbox.WaitForAsync(f => f.Envelope.Method == "services.svc.get_callback")).Envelope.Session!;

        // Python describes its functions with absolute targets; JavaScript with bare client ids.
        RemoteMethod callback = RemoteMethod.Create("ws-other/py-worker", "services.w.run", RemotePromiseMode.Compact, "http://test", "run");
        await peer.HandleFrameAsync(Frame(Stamped("ws-py/py", $"{session}.resolve", parent: session), HyphaCall.Create([callback]).Extra));

        RemoteFunction function = Assert.IsType<RemoteFunction>(await pending);
        Assert.Equal("ws-other/py-worker", function.Descriptor.Target);
    }
}
