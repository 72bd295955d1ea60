using System.Threading.Channels;
using Hypha.Protocol.Native;
using Hypha.Transport.Multiplexing;
using Hypha.Transport.SharedMemory;

namespace Hypha.Transport.Tests;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class SharedMemoryTests : IDisposable
{
    private readonly ShmDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Peers_on_one_host_agree_on_shared_memory_and_peers_elsewhere_do_not()
    {
        await using (MuxPair pair = await StartAsync())
        {
            Assert.True(pair.Client.Agreement.SharedMemory);
            Assert.True(pair.Server.Agreement.SharedMemory);
            Assert.True(pair.Client.CanShareMemory);
        }

        var elsewhere = Options() with { Settings = new NativeSettings { Host = "another-host" } };
        await using (MuxPair pair = await MuxPair.StartAsync(elsewhere, Options()))
        {
            Assert.False(pair.Client.Agreement.SharedMemory);
            Assert.False(pair.Server.Agreement.SharedMemory);
            Assert.False(pair.Client.TrySendShared(new byte[10], [new byte[2 * 1024 * 1024]]));
        }

        Assert.Empty(_directory.Files());
    }

    [Fact]
    public async Task A_server_with_another_directory_refuses_and_nobody_uses_shared_memory()
    {
        using var other = new ShmDirectory();
        await using MuxPair pair = await MuxPair.StartAsync(Options(), Options() with { SharedMemory = new SharedMemoryOptions { Directory = other.Path } });

        Assert.False(pair.Client.Agreement.SharedMemory);
        Assert.False(pair.Server.Agreement.SharedMemory);
        Assert.Null(pair.Server.Local.SharedMemory);
    }

    [Fact]
    public async Task A_payload_travels_by_reference_and_reads_back_identical()
    {
        var received = Channel.CreateUnbounded<InboundMessage>();
        await using MuxPair pair = await StartAsync(received);
        byte[] payload = Pattern(1024 * 1024 + 1);

        Assert.True(pair.Client.TrySendShared("head"u8.ToArray(), [payload]));
        InboundMessage message = await TakeAsync(received);

        Assert.Equal("head"u8.ToArray(), message.Payload.ToArray());
        SharedMemoryLease lease = Assert.Single(message.Attachments!);
        lease.Open();
        Assert.True(lease.Memory.Span.SequenceEqual(payload));
        Assert.Equal(NativeChannel.Bulk, message.Channel);
        lease.Dispose();
    }

    [Fact]
    public async Task Segment_files_are_owner_only()
    {
        var received = Channel.CreateUnbounded<InboundMessage>();
        await using MuxPair pair = await StartAsync(received);

        Assert.True(pair.Client.TrySendShared(new byte[] { 1 }, [Pattern(2 * 1024 * 1024)]));
        using SharedMemoryLease lease = Assert.Single((await TakeAsync(received)).Attachments!);

        string file = Assert.Single(_directory.Files());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.Equal(lease.Reference.Segment, Path.GetFileName(file));
    }

    [Fact]
    public async Task A_held_lease_blocks_reuse_of_its_region_and_releasing_it_frees_the_region()
    {
        var received = Channel.CreateUnbounded<InboundMessage>();
        await using MuxPair pair = await StartAsync(received);

        Assert.True(pair.Client.TrySendShared(new byte[] { 1 }, [Pattern(3 * 1024 * 1024)]));
        SharedMemoryLease first = Assert.Single((await TakeAsync(received)).Attachments!);
        first.Open();

        // Held: the next payload of the same size class gets another segment.
        Assert.True(pair.Client.TrySendShared(new byte[] { 2 }, [Pattern(3 * 1024 * 1024, seed: 2)]));
        SharedMemoryLease second = Assert.Single((await TakeAsync(received)).Attachments!);
        Assert.NotEqual(first.Reference.Segment, second.Reference.Segment);
        Assert.True(first.Memory.Span.SequenceEqual(Pattern(3 * 1024 * 1024)));
        second.Dispose();

        // Released: the region is reused, with a new generation, and the old reference is now stale.
        SharedMemoryReference old = first.Reference;
        first.Dispose();
        SharedMemoryReference reused = await SendAfterReleaseAsync(pair, received, 3 * 1024 * 1024);
        Assert.Equal(old.Segment, reused.Segment);
        Assert.Equal(old.Generation + 1, reused.Generation);
    }

    [Fact]
    public async Task A_stale_or_missing_reference_fails_that_payload_only()
    {
        var received = Channel.CreateUnbounded<InboundMessage>();
        await using MuxPair pair = await StartAsync(received);
        Assert.True(pair.Client.TrySendShared(new byte[] { 1 }, [Pattern(2 * 1024 * 1024)]));
        SharedMemoryLease lease = Assert.Single((await TakeAsync(received)).Attachments!);
        SharedMemoryReference reference = lease.Reference;
        lease.Dispose();
        Assert.Equal(reference.Segment, (await SendAfterReleaseAsync(pair, received, 2 * 1024 * 1024)).Segment);

        // Stale: a reference to that region's earlier generation; missing: a segment that does not exist.
        await using ShmRawPeer raw = await ShmRawPeer.StartAsync(_directory.Path);
        Assert.Contains("stale", await raw.OpenFailsAsync(reference), StringComparison.Ordinal);
        Assert.Contains("does not exist", await raw.OpenFailsAsync(reference with { Segment = "hypha-shm.1.1.gone.1" }), StringComparison.Ordinal);

        // The connection carries on.
        Assert.True(pair.Client.TrySendShared(new byte[] { 3 }, [Pattern(2 * 1024 * 1024, seed: 3)]));
        using SharedMemoryLease next = Assert.Single((await TakeAsync(received)).Attachments!);
        next.Open();
        Assert.True(next.Memory.Span.SequenceEqual(Pattern(2 * 1024 * 1024, seed: 3)));
    }

    [Fact]
    public async Task A_mapping_whose_segment_its_sender_deleted_goes_when_the_next_segment_is_mapped()
    {
        // No heartbeat on either side: only the next mapping can let go of the first. The sender keeps no idle
        // segment, so a released one is deleted as it comes back, as all of a sender's are when it leaves.
        var quiet = Options() with { Settings = new NativeSettings { Heartbeat = TimeSpan.Zero } };
        var sender = quiet with { SharedMemory = quiet.SharedMemory with { MaxIdleBytes = 0 } };
        var received = Channel.CreateUnbounded<InboundMessage>();
        await using MuxPair pair = await MuxPair.StartAsync(sender, quiet, serverHandler: message => Receive(received, message));
        long one = await ReceiveAndReleaseAsync(pair, received, seed: 1);
        Assert.Empty(_directory.Files());
        Assert.Equal(one, pair.Server.Statistics.PeerSegmentBytesMapped);

        Assert.True(pair.Client.TrySendShared(new byte[] { 2 }, [Pattern(2 * 1024 * 1024, seed: 2)]));
        using SharedMemoryLease second = Assert.Single((await TakeAsync(received)).Attachments!);
        second.Open();
        Assert.True(second.Memory.Span.SequenceEqual(Pattern(2 * 1024 * 1024, seed: 2)));
        Assert.Equal(one, pair.Server.Statistics.PeerSegmentBytesMapped);
    }

    [Fact]
    public async Task A_mapping_whose_segment_its_sender_deleted_goes_on_the_next_heartbeat()
    {
        var sender = Options() with { SharedMemory = Options().SharedMemory with { MaxIdleBytes = 0 } };
        var beating = Options() with { Settings = new NativeSettings { Heartbeat = TimeSpan.FromMilliseconds(50) } };
        var received = Channel.CreateUnbounded<InboundMessage>();
        await using MuxPair pair = await MuxPair.StartAsync(sender, beating, serverHandler: message => Receive(received, message));
        await ReceiveAndReleaseAsync(pair, received, seed: 1);

        long deadline = Environment.TickCount64 + 10_000;
        while (pair.Server.Statistics.PeerSegmentBytesMapped != 0)
        {
            Assert.True(Environment.TickCount64 < deadline, "the mapping of a deleted segment was kept");
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task A_buffer_written_in_place_is_sent_without_a_copy()
    {
        var received = Channel.CreateUnbounded<InboundMessage>();
        await using MuxPair pair = await StartAsync(received);
        using SharedMemoryBuffer buffer = pair.Client.RentSharedMemory(5 * 1024 * 1024)!;
        Pattern(5 * 1024 * 1024, seed: 9).CopyTo(buffer.Memory);

        Assert.True(pair.Client.TrySendShared(new byte[] { 1 }, [buffer.Memory]));
        using SharedMemoryLease lease = Assert.Single((await TakeAsync(received)).Attachments!);
        lease.Open();

        Assert.Single(_directory.Files());
        Assert.True(lease.Memory.Span.SequenceEqual(Pattern(5 * 1024 * 1024, seed: 9)));
    }

    [Fact]
    public async Task Closing_deletes_every_segment_of_both_sides()
    {
        var received = Channel.CreateUnbounded<InboundMessage>();
        MuxPair pair = await StartAsync(received);
        Assert.True(pair.Client.TrySendShared(new byte[] { 1 }, [Pattern(2 * 1024 * 1024)]));
        SharedMemoryLease held = Assert.Single((await TakeAsync(received)).Attachments!);
        held.Open();
        Assert.NotEmpty(_directory.Files());

        await pair.DisposeAsync();

        Assert.Empty(_directory.Files());
        Assert.True(held.Memory.Span.SequenceEqual(Pattern(2 * 1024 * 1024)));
        held.Dispose();
    }

    [Fact]
    public void Files_of_processes_that_are_gone_are_removed_at_start_up_and_files_of_live_ones_are_kept()
    {
        string dead = Path.Combine(_directory.Path, "hypha-shm.999999999.1.abc.1");
        string recycled = Path.Combine(_directory.Path, $"hypha-shm.{Environment.ProcessId}.1.abc.1");
        File.WriteAllText(dead, "x");
        File.WriteAllText(recycled, "x");
        string live = Path.Combine(_directory.Path, $"{NativeHandshake.Offer(Options()).SharedMemory!.Prefix}.1");
        File.WriteAllText(live, "x");

        Assert.False(File.Exists(dead));
        Assert.False(File.Exists(recycled)); // the pid is ours, but the start time is not
        Assert.True(File.Exists(live));
    }

    [Fact]
    public async Task A_malformed_reference_message_fails_the_connection()
    {
        await using ShmRawPeer raw = await ShmRawPeer.StartAsync(_directory.Path);

        await raw.Raw.WriteAsync(RawPeer.Frame(NativeChannel.Bulk, FrameFlags.End | FrameFlags.SharedMemoryRef, [1, 0, 0, 0, 0xc0, 1, 0]));

        CloseReason reason = await raw.Raw.ClosedAsync();
        Assert.Equal(NativeErrorCode.ProtocolError, reason.Code);
        Assert.Contains("SHM_REF", reason.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task References_over_the_announced_limit_fail_the_connection()
    {
        await using ShmRawPeer raw = await ShmRawPeer.StartAsync(_directory.Path, maxMessage: 1000);

        await raw.Raw.WriteAsync(ShmRawPeer.Frame(new SharedMemoryReference("hypha-shm.1.1.raw.1", 4096, 2000, 1)));

        Assert.Equal(NativeErrorCode.FrameTooLarge, (await raw.Raw.ClosedAsync()).Code);
    }

    [Fact]
    public async Task Releasing_what_was_never_sent_fails_the_connection()
    {
        await using ShmRawPeer raw = await ShmRawPeer.StartAsync(_directory.Path);

        await raw.Raw.WriteAsync(RawPeer.Control(SharedMemoryRelease.Create([("hypha-shm.1.1.raw.1", 1)])));

        CloseReason reason = await raw.Raw.ClosedAsync();
        Assert.Equal(NativeErrorCode.ProtocolError, reason.Code);
        Assert.Contains("not outstanding", reason.Message, StringComparison.Ordinal);
    }

    internal static byte[] Pattern(int length, int seed = 1)
    {
        byte[] bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private MultiplexerOptions Options() => new() { SharedMemory = new SharedMemoryOptions { Directory = _directory.Path } };

    private Task<MuxPair> StartAsync(Channel<InboundMessage>? received = null) =>
        MuxPair.StartAsync(Options(), Options(), serverHandler: received is null ? null : message => Receive(received, message));

    private static ValueTask Receive(Channel<InboundMessage> received, InboundMessage message)
    {
        received.Writer.TryWrite(message);
        return ValueTask.CompletedTask;
    }

    // A 2 MiB payload by reference, read and released; returns once the release is back with the sender (which then
    // has deleted the segment, if it keeps no idle ones) and what the receiver had mapped for it.
    private static async Task<long> ReceiveAndReleaseAsync(MuxPair pair, Channel<InboundMessage> received, int seed)
    {
        Assert.True(pair.Client.TrySendShared(new byte[] { 1 }, [Pattern(2 * 1024 * 1024, seed)]));
        SharedMemoryLease lease = Assert.Single((await TakeAsync(received)).Attachments!);
        lease.Open();
        Assert.True(lease.Memory.Span.SequenceEqual(Pattern(2 * 1024 * 1024, seed)));
        long mapped = pair.Server.Statistics.PeerSegmentBytesMapped;
        Assert.True(mapped >= 2 * 1024 * 1024);
        lease.Dispose();
        await pair.Server.SendAsync(NativeChannel.Rpc, new byte[] { 0 });
        await MuxPair.TakeAsync(pair.ClientReceived);
        return mapped;
    }

    private static async Task<InboundMessage> TakeAsync(Channel<InboundMessage> received) =>
        await received.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

    // A release travels back over the connection as a control message: once a message the server sends after it has
    // reached the client, the client has the region back, and its pool hands out the region released last.
    private static async Task<SharedMemoryReference> SendAfterReleaseAsync(MuxPair pair, Channel<InboundMessage> received, int size)
    {
        await pair.Server.SendAsync(NativeChannel.Rpc, new byte[] { 0 });
        await MuxPair.TakeAsync(pair.ClientReceived);
        Assert.True(pair.Client.TrySendShared(new byte[] { 1 }, [Pattern(size, seed: 7)]));
        using SharedMemoryLease lease = Assert.Single((await TakeAsync(received)).Attachments!);
        return lease.Reference;
    }
}
