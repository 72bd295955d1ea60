using Hypha.Protocol.Native;
using Hypha.Transport.Multiplexing;

namespace Hypha.Transport.Tests;

/// <summary>
/// While calls run, a sender keeps few stream or bulk bytes in flight (MultiplexerOptions.InFlightWhileCalling), in
/// fragments of half the cap, so that a call's frame does not wait behind a whole window in the socket buffers; and a
/// receiver returns credit in small steps (MultiplexerOptions.CreditStep) and a large message's fragment by fragment,
/// which is what lets the sender do that without stalling.
/// </summary>
public sealed class InFlightCapTests
{
    private const int Window = 1024 * 1024;
    private const int Step = 64 * 1024;
    private const int Cap = 32 * 1024;

    // Calls count as active for the whole test, and the in-memory peer as near, whatever the machine's pace.
    // A short close: the multiplexers end with a transfer under way.
    private static readonly MultiplexerOptions Calling = new()
    {
        CallsActiveFor = TimeSpan.FromMinutes(10),
        NearPeerRoundTrip = TimeSpan.FromMinutes(10),
        CloseTimeout = TimeSpan.FromMilliseconds(100),
    };

    [Theory]
    [InlineData(16 * 1024, Cap)]
    [InlineData(Step, 2 * Step)]
    public async Task While_calls_run_a_large_message_keeps_only_the_cap_in_flight_in_fragments_of_half_of_it(int creditStep, int expected)
    {
        await using var peer = new RawPeer(Calling);
        await peer.Mux.SendAsync(NativeChannel.Rpc, new byte[] { 1 });
        Task sending = peer.Mux.SendAsync(NativeChannel.Bulk, Pattern(4 * Window, 1));

        // Nothing is known of the peer's credit steps yet: the whole window goes out.
        Assert.Equal(Window, await peer.CountBulkAsync(sent => sent >= Window));

        // Returned in steps of 16 KiB, the cap holds; in coarser steps it grows to two of them, or the sender would
        // wait for credit the receiver holds back. Either way the capped bytes go in fragments of half the cap.
        var frames = new List<int>();
        long resent = await ReturnWindowInStepsAsync(peer, creditStep, frames: frames);

        Assert.Equal(expected, resent);
        Assert.All(frames, length => Assert.True(length <= Cap / 2, $"a capped fragment of {length} bytes"));
        Assert.False(sending.IsCompleted);
    }

    [Fact]
    public async Task A_receiver_returns_stream_and_bulk_credit_in_steps_of_16_KiB()
    {
        await using var peer = new RawPeer();
        byte[] message = RawPeer.Frame(NativeChannel.Bulk, FrameFlags.End, new byte[4 * 1024]);

        await peer.WriteAsync(message, message, message, message, message, message, message, message);

        for (int i = 0; i < 2; i++)
        {
            Assert.Equal(16 * 1024, ControlMessages.ReadWindowUpdate(await peer.ReadControlAsync(ControlType.WindowUpdate)).Increment);
        }
    }

    [Fact]
    public async Task A_peer_on_this_host_is_near_whatever_the_pings_measured()
    {
        // No ping round trip counts as near here, but both sides announce the same host.
        var sameHost = new NativeSettings { Host = "this-host" };
        await using var peer = new RawPeer(Calling with { NearPeerRoundTrip = TimeSpan.Zero, Settings = sameHost }, remote: sameHost);
        Assert.True(peer.Mux.Agreement.SameHost);
        await peer.Mux.SendAsync(NativeChannel.Rpc, new byte[] { 1 });
        _ = peer.Mux.SendAsync(NativeChannel.Bulk, Pattern(4 * Window, 1));
        Assert.Equal(Window, await peer.CountBulkAsync(sent => sent >= Window));

        Assert.Equal(Cap, await ReturnWindowInStepsAsync(peer, 16 * 1024));
    }

    [Theory]
    [InlineData(false, true)]
    [InlineData(true, false)]
    public async Task Without_calls_or_with_a_far_peer_the_whole_credit_is_used(bool calling, bool near)
    {
        await using var peer = new RawPeer(Calling with { NearPeerRoundTrip = near ? Calling.NearPeerRoundTrip : TimeSpan.Zero });
        if (calling)
        {
            await peer.Mux.SendAsync(NativeChannel.Rpc, new byte[] { 1 });
        }

        _ = peer.Mux.SendAsync(NativeChannel.Bulk, Pattern(4 * Window, 1));
        Assert.Equal(Window, await peer.CountBulkAsync(sent => sent >= Window));

        Assert.Equal(Window, await ReturnWindowInStepsAsync(peer, Step, untilSent: Window));
    }

    [Fact]
    public async Task The_cap_is_never_below_two_of_the_peers_credit_steps()
    {
        await using var peer = new RawPeer(Calling);
        await peer.Mux.SendAsync(NativeChannel.Rpc, new byte[] { 1 });
        _ = peer.Mux.SendAsync(NativeChannel.Bulk, Pattern(4 * Window, 1));
        Assert.Equal(Window, await peer.CountBulkAsync(sent => sent >= Window));

        // A receiver that returns half a window at a time: capped at 32 KiB the sender would wait for ever.
        byte[] half = RawPeer.Control(ControlMessages.WindowUpdate(NativeChannel.Bulk, Window / 2));
        await peer.WriteAsync(half, half);

        Assert.Equal(Window, await peer.CountBulkAsync(sent => sent >= Window));
    }

    [Fact]
    public async Task Messages_of_every_size_arrive_whole_while_calls_run()
    {
        await using MuxPair pair = await MuxPair.StartAsync(clientOptions: Calling);
        int[] sizes = [300 * 1024, Window / 2, Window / 2 + 1, 100 * 1024, 3 * Window + 5, 1, 700 * 1024, 64 * 1024];
        var sends = new List<Task>();
        for (int i = 0; i < sizes.Length; i++)
        {
            sends.Add(pair.Client.SendAsync(NativeChannel.Rpc, new byte[] { (byte)i }));
            sends.Add(pair.Client.SendAsync(NativeChannel.Bulk, Pattern(sizes[i], i)));
        }

        await Task.WhenAll(sends).WaitAsync(TimeSpan.FromSeconds(20));
        var bulk = new List<byte[]>();
        while (bulk.Count < sizes.Length)
        {
            (NativeChannel channel, byte[] message) = await MuxPair.TakeAsync(pair.ServerReceived);
            if (channel == NativeChannel.Bulk)
            {
                bulk.Add(message);
            }
        }

        for (int i = 0; i < sizes.Length; i++)
        {
            Assert.Equal(Pattern(sizes[i], i), bulk[i]);
        }
    }

    [Fact]
    public async Task A_receiver_returns_a_large_messages_credit_fragment_by_fragment()
    {
        await using var peer = new RawPeer();
        byte[] payload = Pattern(Window, 2);
        var fragments = new List<byte[]>();
        for (int i = 0; i < 16; i++)
        {
            fragments.Add(RawPeer.Frame(NativeChannel.Bulk, i == 15 ? FrameFlags.End : FrameFlags.None, payload.AsSpan(i * Step, Step)));
        }

        await peer.WriteAsync([.. fragments]);

        // Once the message holds more than half the window, what arrived so far, then every fragment on its own.
        var increments = new List<int>();
        while (increments.Sum() < Window)
        {
            increments.Add(ControlMessages.ReadWindowUpdate(await peer.ReadControlAsync(ControlType.WindowUpdate)).Increment);
        }

        Assert.Equal([Window / 2 + Step, .. Enumerable.Repeat(Step, 7)], increments);
    }

    // Returns the window's credit `step` bytes at a time, as a receiver does for a large message, then counts what
    // the sender sends for it: up to a Pong that follows every frame the returned credit allowed (two pings: the
    // writer may have been mid-pass when the first arrived), or until `untilSent` bytes.
    private static async Task<long> ReturnWindowInStepsAsync(RawPeer peer, int step, long? untilSent = null, List<int>? frames = null)
    {
        var updates = Enumerable.Range(0, Window / step).Select(_ => RawPeer.Control(ControlMessages.WindowUpdate(NativeChannel.Bulk, step))).ToArray();
        await peer.WriteAsync(updates);
        if (untilSent is { } expected)
        {
            return await peer.CountBulkAsync(sent => sent >= expected);
        }

        await peer.WriteAsync(RawPeer.Control(ControlMessages.Ping(-1)));
        long sent = await peer.CountBulkAsync(_ => false, pongData: -1, bulkFrames: frames);
        await peer.WriteAsync(RawPeer.Control(ControlMessages.Ping(-2)));
        return sent + await peer.CountBulkAsync(_ => false, pongData: -2, bulkFrames: frames);
    }

    private static byte[] Pattern(int length, int seed)
    {
        byte[] bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
