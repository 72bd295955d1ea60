using Hypha.Protocol.Native;
using Hypha.Transport.Multiplexing;

namespace Hypha.Transport.Tests;

/// <summary>
/// Heartbeats on a quiet connection. Alone in its collection: once, with the assembly's other test classes running
/// beside it, a starved thread pool held both peers' pings for 2.2 s and the 2 s dead-peer timeout fired.
/// </summary>
[Collection(RunsAloneCollection.Name)]
public sealed class HeartbeatTests
{
    [Fact]
    public async Task Heartbeats_keep_a_quiet_connection_alive()
    {
        var options = new MultiplexerOptions
        {
            Settings = new NativeSettings { Heartbeat = TimeSpan.FromMilliseconds(100) },

            // Twenty heartbeats: room for a thread pool that is slow to wake while other test assemblies run.
            MinDeadPeerTimeout = TimeSpan.FromSeconds(2),
        };
        await using MuxPair pair = await MuxPair.StartAsync(options, options);

        // Two dead-peer timeouts with no application traffic: the pings alone must keep both sides open.
        Task first = await Task.WhenAny(pair.Client.Completion, pair.Server.Completion, Task.Delay(4000));
        Assert.True(!pair.Client.Completion.IsCompleted && !pair.Server.Completion.IsCompleted,
            $"closed: {(first as Task<CloseReason>)?.Result}");
        await pair.Client.SendAsync(NativeChannel.Rpc, new byte[] { 7 });
        Assert.Equal([7], (await MuxPair.TakeAsync(pair.ServerReceived)).Message);
    }
}
