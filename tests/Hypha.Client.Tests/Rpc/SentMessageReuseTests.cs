using Hypha.Client.Rpc;
using Hypha.Protocol.Messages;
using Hypha.Protocol.MsgPack;
using Hypha.Protocol.Objects;
using Hypha.Protocol.Schemas;

namespace Hypha.Client.Tests.Rpc;

/// <summary>A sent call's message is the peer's again once its sender is done with it (MessageSender's contract).</summary>
public sealed class SentMessageReuseTests
{
    [Fact]
    public async Task The_next_call_reuses_the_sent_message_with_nothing_of_the_last_one_left()
    {
        var sent = new List<(RpcMethodV4 Message, byte[] Frame)>();
        await using var peer = new RpcPeer(
            new RpcPeerOptions { Workspace = "ws", ClientId = "c", ServerUrl = "http://test", MethodTimeout = TimeSpan.FromSeconds(10) },
            (message, _, _) =>
            {
                sent.Add((message, RpcMessages.ToFrame(message)));
                return ValueTask.CompletedTask;
            });
        using var stop = new CancellationTokenSource();

        // A call that waits for its result, with keyword arguments: session, promise and with_kwargs set. Its send
        // completes before CallAsync first waits, on this thread, and so does the next call's.
        Task<object?> waiting = peer.CallAsync(RemoteMethod.Create("ws/p", "services.s.f", RemotePromiseMode.Compact), [1],
            new Dictionary<string, object?> { ["k"] = 2 }, "parent-1", stop.Token);
        Task<object?> notified = peer.CallAsync(RemoteMethod.Create("ws/p", "services.s.g", RemotePromiseMode.None), [3], null, null, stop.Token);

        Assert.Null(await notified);
        Assert.Equal(2, sent.Count);
        Assert.Same(sent[0].Message, sent[1].Message);
        RpcMethodV4 first = RpcMessages.TryRead(sent[0].Frame, MsgPackReaderOptions.Default)!;
        RpcMethodV4 second = RpcMessages.TryRead(sent[1].Frame, MsgPackReaderOptions.Default)!;
        Assert.NotNull(first.Session);
        Assert.NotNull(first.Promise);
        Assert.True(first.WithKwargs);
        Assert.Equal("parent-1", first.Parent);
        Assert.Equal(("services.s.g", "ws/p", "ws/c"), (second.Method, second.To, second.From));
        Assert.Null(second.Session);
        Assert.Null(second.Promise);
        Assert.Null(second.WithKwargs);
        Assert.Null(second.Parent);
        Assert.Equal(MsgPackValue.Array(3), second.Args!.Value.ToValue(MsgPackReaderOptions.Default));

        stop.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
    }
}
