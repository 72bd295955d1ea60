using System.Collections.Concurrent;
using Hypha.Client.Rpc;
using Hypha.Protocol.Buffers;
using Hypha.Protocol.Messages;
using Hypha.Protocol.MsgPack;

namespace Hypha.Client.Tests.Rpc;

/// <summary>
/// RPC peers joined in memory by a router that does what the hypha server does to every frame: stamp the
/// sender's <c>from</c> and <c>ws</c>, make <c>to</c> absolute, and forward <c>extra</c> untouched. Frames are
/// delivered lent, as a WebSocket client receives them, and overwritten once handled.
/// </summary>
internal sealed class PeerNetwork : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, RpcPeer> _peers = new();

    // Each peer's deliveries, chained: a connection delivers its messages in the order they were sent.
    private readonly ConcurrentDictionary<string, Task> _deliveries = new();

    public int FramesRouted;

    public long LargestFrame;

    /// <summary>Sees every frame as it is delivered: the target's address and the frame's bytes.</summary>
    public Action<string, byte[]>? Delivering;

    public RpcPeer Add(string workspace, string clientId, TimeSpan? timeout = null, int chunkSize = 256 * 1024, int maxConcurrentCalls = 4096,
        bool binaryRecords = false)
    {
        string address = $"{workspace}/{clientId}";
        var options = new RpcPeerOptions
        {
            Workspace = workspace,
            ClientId = clientId,
            ServerUrl = "http://test",
            ManagerId = "manager-test",
            MethodTimeout = timeout ?? TimeSpan.FromSeconds(10),
            ChunkSize = chunkSize,
            MaxConcurrentCalls = maxConcurrentCalls,
            BinaryRecords = binaryRecords,
        };
        var peer = new RpcPeer(options, (message, _, _) => RouteAsync(address, workspace, RpcMessages.ToFrame(message)));
        _peers[address] = peer;
        return peer;
    }

    public void Remove(string address) => _peers.TryRemove(address, out _);

    private ValueTask RouteAsync(string sender, string senderWorkspace, ReadOnlyMemory<byte> frame)
    {
        HyphaFrame decoded = HyphaFrame.Decode(frame);
        MsgPackMap main = decoded.Main.Clone();
        string to = decoded.Envelope.To!;
        to = to.Contains('/') ? to : $"{senderWorkspace}/{to}";
        main.Set(HyphaKeys.From, sender);
        main.Set(HyphaKeys.To, to);
        main.Set(HyphaKeys.Workspace, senderWorkspace);
        main.Set(HyphaKeys.User, new MsgPackMap { { "id", sender } });
        var output = new PooledBufferWriter();
        HyphaFrame.Write(output, main, decoded.ExtraBytes.Span);
        byte[] bytes = output.WrittenMemory.ToArray();
        output.Dispose();
        Interlocked.Increment(ref FramesRouted);
        InterlockedMax(ref LargestFrame, bytes.Length);
        if (_peers.TryGetValue(to, out RpcPeer? target))
        {
            Delivering?.Invoke(to, bytes.ToArray());
            // Deliver on another thread, as a socket would (the sender never runs the receiver's code), and in order.
            lock (_deliveries)
            {
                Task previous = _deliveries.GetValueOrDefault(to, Task.CompletedTask);
                _deliveries[to] = previous.ContinueWith(_ => DeliverLentAsync(target, bytes), TaskScheduler.Default).Unwrap();
            }
        }

        return ValueTask.CompletedTask;
    }

    // Delivered as a WebSocket client delivers a frame: lent from its receive buffer, which the next read reuses. The
    // frame is overwritten once handled, so that any value the peer kept without copying it shows up as garbage.
    private static async Task DeliverLentAsync(RpcPeer target, byte[] frame)
    {
        await target.HandleLentFrameAsync(frame);
        frame.AsSpan().Fill(0xEE);
    }

    private static void InterlockedMax(ref long location, long value)
    {
        long current;
        while (value > (current = Interlocked.Read(ref location)) && Interlocked.CompareExchange(ref location, value, current) != current)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (RpcPeer peer in _peers.Values)
        {
            await peer.DisposeAsync();
        }
    }
}
