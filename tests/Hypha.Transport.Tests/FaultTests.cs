using Hypha.Protocol.Native;
using Hypha.Transport.Multiplexing;

namespace Hypha.Transport.Tests;

public sealed class FaultTests
{
    [Fact]
    public async Task A_peer_that_vanishes_mid_frame_ends_the_connection_and_fails_what_waits()
    {
        await using var peer = new RawPeer(remote: new NativeSettings { BulkWindow = 64 * 1024 });
        // Random bytes: a compressible message could shrink into the window and never wait.
        byte[] incompressible = new byte[10 * 1024 * 1024];
        new Random(1).NextBytes(incompressible);
        Task waiting = peer.Mux.SendAsync(NativeChannel.Bulk, incompressible);
        byte[] frame = RawPeer.Frame(NativeChannel.Rpc, FrameFlags.End, new byte[1000]);

        await peer.WriteAsync(frame[..500]);
        await peer.EndAsync();

        CloseReason reason = await peer.ClosedAsync();
        Assert.Contains("middle of a frame", reason.Message);
        var failure = await Assert.ThrowsAsync<MultiplexerClosedException>(() => waiting.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Contains("middle of a frame", failure.Message);
    }

    [Fact]
    public async Task A_peer_that_vanishes_mid_bulk_message_ends_the_connection()
    {
        int delivered = 0;
        await using var peer = new RawPeer(handler: _ => { Interlocked.Increment(ref delivered); return ValueTask.CompletedTask; });

        await peer.WriteAsync(RawPeer.Frame(NativeChannel.Bulk, FrameFlags.None, new byte[30_000]), RawPeer.Frame(NativeChannel.Stream, FrameFlags.None, new byte[100]));
        await peer.EndAsync();

        CloseReason reason = await peer.ClosedAsync();
        Assert.True(reason.ByPeer);
        Assert.Equal(0, delivered);
    }

    [Fact]
    public async Task A_peer_that_vanishes_mid_stream_message_ends_the_connection_and_delivers_nothing_of_it()
    {
        int delivered = 0;
        await using var peer = new RawPeer(handler: _ => { Interlocked.Increment(ref delivered); return ValueTask.CompletedTask; });

        await peer.WriteAsync(
            RawPeer.Frame(NativeChannel.Stream, FrameFlags.End, [1, 2, 3]),
            RawPeer.Frame(NativeChannel.Stream, FrameFlags.None, new byte[5000]),
            RawPeer.Frame(NativeChannel.Stream, FrameFlags.None, new byte[5000]));
        await peer.EndAsync();

        CloseReason reason = await peer.ClosedAsync();
        Assert.True(reason.ByPeer);
        long deadline = Environment.TickCount64 + 5000;
        while (Volatile.Read(ref delivered) < 1 && Environment.TickCount64 < deadline)
        {
            await Task.Delay(10);
        }

        Assert.Equal(1, Volatile.Read(ref delivered)); // the whole first message only, never the torn second one
    }

    [Fact]
    public async Task A_silent_peer_is_found_dead_by_the_heartbeat()
    {
        var options = new MultiplexerOptions
        {
            Settings = new NativeSettings { Heartbeat = TimeSpan.FromMilliseconds(100) },
            MinDeadPeerTimeout = TimeSpan.FromMilliseconds(500),
        };
        await using var peer = new RawPeer(options, remote: new NativeSettings { Heartbeat = TimeSpan.FromMilliseconds(100) });

        CloseReason reason = await peer.ClosedAsync();

        Assert.Equal(NativeErrorCode.Timeout, reason.Code);
        Assert.Equal(NativeErrorCode.Timeout, (await peer.ReadErrorAsync()).Code);
    }

    [Fact]
    public async Task A_busy_handler_does_not_hold_up_control_frames()
    {
        var never = new TaskCompletionSource();
        await using var peer = new RawPeer(handler: async _ => await never.Task);

        await peer.WriteAsync(RawPeer.Frame(NativeChannel.Rpc, FrameFlags.End, [1]), RawPeer.Control(ControlMessages.Ping(42)));

        Assert.Equal(42, ControlMessages.ReadPingData(await peer.ReadControlAsync(ControlType.Pong)));
        never.SetResult();
    }

    [Fact]
    public async Task A_failing_handler_ends_only_its_connection_with_an_internal_error()
    {
        await using var peer = new RawPeer(handler: _ => throw new InvalidOperationException("boom"));

        await peer.WriteAsync(RawPeer.Frame(NativeChannel.Rpc, FrameFlags.End, [1]));

        CloseReason reason = await peer.ClosedAsync();
        Assert.Equal(NativeErrorCode.InternalError, reason.Code);
        Assert.Contains("boom", reason.Message);
    }
}
