using System.Threading.Channels;
using Hypha.Protocol.Native;
using Hypha.Transport.Connections;
using Hypha.Transport.Multiplexing;
using Hypha.Transport.SharedMemory;

namespace Hypha.Transport.Tests;

/// <summary>A multiplexer that agreed to shared memory with a raw peer, which can send it any SHM_REF message or ShmRelease.</summary>
internal sealed class ShmRawPeer : IAsyncDisposable
{
    private ShmRawPeer(RawPeer raw, Channel<InboundMessage> received)
    {
        Raw = raw;
        Received = received;
    }

    public RawPeer Raw { get; }

    public Channel<InboundMessage> Received { get; }

    public static Task<ShmRawPeer> StartAsync(string directory, long maxMessage = int.MaxValue)
    {
        var options = new MultiplexerOptions { SharedMemory = new SharedMemoryOptions { Directory = directory, MaxMessage = maxMessage } };
        NativeSettings local = NativeHandshake.Offer(options);
        File.Delete(Path.Combine(directory, local.SharedMemory!.Probe!));
        NativeSettings remote = new() { Host = HostIdentity.Current, SharedMemory = local.SharedMemory with { Prefix = "hypha-shm.1.1.raw" } };
        var received = Channel.CreateUnbounded<InboundMessage>();
        var raw = new RawPeer(options with { Settings = local }, remote, message =>
        {
            received.Writer.TryWrite(message);
            return ValueTask.CompletedTask;
        });
        Assert.True(raw.Mux.Agreement.SharedMemory);
        return Task.FromResult(new ShmRawPeer(raw, received));
    }

    public static byte[] Frame(SharedMemoryReference reference, byte[]? head = null) =>
        RawPeer.Frame(NativeChannel.Bulk, FrameFlags.End | FrameFlags.SharedMemoryRef, SharedMemoryMessage.Encode(head ?? [0xc0], [reference]));

    /// <summary>Sends one reference and returns what opening it says.</summary>
    public async Task<string> OpenFailsAsync(SharedMemoryReference reference)
    {
        await Raw.WriteAsync(Frame(reference));
        InboundMessage message = await Received.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        using SharedMemoryLease lease = Assert.Single(message.Attachments!);
        return Assert.Throws<SharedMemoryException>(lease.Open).Message;
    }

    public ValueTask DisposeAsync() => Raw.DisposeAsync();
}
