using Hypha.Protocol.Native;
using Hypha.Transport.Multiplexing;

namespace Hypha.Transport.Tests;

public sealed class MultiplexerTests
{
    private static byte[] Pattern(int length, int seed)
    {
        byte[] bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    [Fact]
    public async Task Handshake_carries_settings_auth_and_connection_info()
    {
        var clientOptions = new MultiplexerOptions { Settings = new NativeSettings { MaxFrame = 32 * 1024, RpcWindow = 17, StreamWindow = 100_000 } };
        await using MuxPair pair = await MuxPair.StartAsync(clientOptions);

        Assert.Equal("c1", pair.Auth["client_id"].AsString());
        Assert.Equal("ws-1", pair.ConnectionInfo["workspace"].AsString());
        Assert.Equal(32 * 1024, pair.Server.Remote.MaxFrame);
        Assert.Equal(17, pair.Server.Remote.RpcWindow);
        Assert.Equal(100_000, pair.Server.Remote.StreamWindow);
        Assert.Equal(new NativeSettings().MaxFrame, pair.Client.Remote.MaxFrame);
    }

    [Fact]
    public async Task Messages_on_every_channel_arrive_whole_and_in_order_per_channel()
    {
        await using MuxPair pair = await MuxPair.StartAsync();
        var sent = new List<(NativeChannel, byte[])>();
        for (int i = 0; i < 30; i++)
        {
            NativeChannel channel = (NativeChannel)(1 + (i % 3));
            byte[] message = Pattern(channel == NativeChannel.Bulk ? 200_000 + i : 10 + i, i);
            sent.Add((channel, message));
            await pair.Client.SendAsync(channel, message);
        }

        await AssertServerReceivedInOrderPerChannel(pair, sent);
    }

    // Small messages are copied when queued, and a copy once written is refilled with a later one: each refilled copy
    // must carry its own bytes and length, however long the message it held before.
    [Fact]
    public async Task Copies_refilled_after_their_write_carry_their_own_bytes()
    {
        await using MuxPair pair = await MuxPair.StartAsync();
        var random = new Random(7);
        for (int round = 0; round < 20; round++)
        {
            var sent = new List<(NativeChannel, byte[])>();
            for (int i = 0; i < 100; i++)
            {
                NativeChannel channel = i % 2 == 0 ? NativeChannel.Rpc : NativeChannel.Stream;
                byte[] message = Pattern(random.Next(1, 3000), round * 100 + i);
                sent.Add((channel, message));
                await pair.Client.SendAsync(channel, message);
            }

            await AssertServerReceivedInOrderPerChannel(pair, sent);
        }
    }

    [Fact]
    public async Task A_message_larger_than_the_window_flows_through_window_updates()
    {
        var small = new MultiplexerOptions { Settings = new NativeSettings { BulkWindow = 64 * 1024, StreamWindow = 64 * 1024 } };
        await using MuxPair pair = await MuxPair.StartAsync(small, small);
        byte[] big = Pattern(5 * 1024 * 1024 + 7, 1);

        await pair.Client.SendAsync(NativeChannel.Bulk, big);
        await pair.Server.SendAsync(NativeChannel.Stream, big);

        Assert.Equal(big, (await MuxPair.TakeAsync(pair.ServerReceived)).Message);
        (NativeChannel channel, byte[] message) = (await MuxPair.TakeAsync(pair.ClientReceived));
        Assert.Equal(NativeChannel.Stream, channel);
        Assert.Equal(big, message);
    }

    // Messages of 1 MiB and more are joined off the reader, each on its own work item; whichever join ends first,
    // a channel delivers its messages in the order they were sent, whole.
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Large_messages_joined_off_the_reader_keep_their_order_and_bytes(bool prioritize)
    {
        var options = new MultiplexerOptions { Prioritize = prioritize };
        await using MuxPair pair = await MuxPair.StartAsync(options, options);
        (NativeChannel Channel, byte[] Message)[] sent =
        [
            (NativeChannel.Bulk, Pattern(3 * 1024 * 1024 + 5, 11)),
            (NativeChannel.Stream, Pattern(2 * 1024 * 1024, 12)),
            (NativeChannel.Bulk, Pattern(1024 * 1024, 13)),
            (NativeChannel.Rpc, Pattern(100, 14)),
            (NativeChannel.Bulk, Pattern(10, 15)),
            (NativeChannel.Stream, Pattern(1024 * 1024 + 1, 16)),
        ];

        await Task.WhenAll(sent.Select(s => pair.Client.SendAsync(s.Channel, s.Message)));

        await AssertServerReceivedInOrderPerChannel(pair, sent);
    }

    // Takes as many messages as were sent and checks that each channel got its own, whole and in the order sent.
    private static async Task AssertServerReceivedInOrderPerChannel(MuxPair pair, IReadOnlyList<(NativeChannel Channel, byte[] Message)> sent)
    {
        var received = new List<(NativeChannel Channel, byte[] Message)>();
        for (int i = 0; i < sent.Count; i++)
        {
            received.Add(await MuxPair.TakeAsync(pair.ServerReceived));
        }

        foreach (NativeChannel channel in new[] { NativeChannel.Stream, NativeChannel.Rpc, NativeChannel.Bulk })
        {
            Assert.Equal(sent.Where(s => s.Channel == channel).Select(s => s.Message), received.Where(r => r.Channel == channel).Select(r => r.Message));
        }
    }

    [Fact]
    public async Task An_rpc_message_over_the_frame_limit_travels_on_bulk()
    {
        await using MuxPair pair = await MuxPair.StartAsync();
        byte[] large = Pattern(NativeSettings.DefaultFrame + 1, 2);

        await pair.Client.SendAsync(NativeChannel.Rpc, large);

        (NativeChannel channel, byte[] message) = (await MuxPair.TakeAsync(pair.ServerReceived));
        Assert.Equal(NativeChannel.Bulk, channel);
        Assert.Equal(large, message);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Small_calls_overtake_a_bulk_transfer_only_with_priorities(bool prioritize)
    {
        var options = new MultiplexerOptions { Prioritize = prioritize };
        await using MuxPair pair = await MuxPair.StartAsync(options, options);
        byte[] bulk = Pattern(16 * 1024 * 1024, 3);

        Task bulkSent = pair.Client.SendAsync(NativeChannel.Bulk, bulk);
        Task callSent = pair.Client.SendAsync(NativeChannel.Rpc, new byte[] { 42 });
        await Task.WhenAll(bulkSent, callSent);

        NativeChannel first = (await MuxPair.TakeAsync(pair.ServerReceived)).Channel;
        Assert.Equal(prioritize ? NativeChannel.Rpc : NativeChannel.Bulk, first);
        Assert.NotEqual(first, (await MuxPair.TakeAsync(pair.ServerReceived)).Channel);
    }

    // Small messages come back to the sender as credit once delivered. Messages over half the window get their
    // credit as their fragments arrive (they could never complete otherwise), but only while fewer than two earlier
    // messages of the channel wait for the application: a stalled receiver holds the one in its handler, two waiting
    // and part of the next, and the rest waits at the sender (3 sends complete; 4 allows for the in-memory pipe).
    [Theory]
    [InlineData(NativeChannel.Stream, 64 * 1024, 32 * 1024, 200, 99)]
    [InlineData(NativeChannel.Bulk, 256 * 1024, 1024 * 1024, 30, 4)]
    public async Task A_slow_receiver_makes_its_sender_wait_instead_of_buffering(NativeChannel channel, int window, int size, int count, int mostCompleted)
    {
        var release = new TaskCompletionSource();
        var settings = channel == NativeChannel.Stream ? new NativeSettings { StreamWindow = window } : new NativeSettings { BulkWindow = window };
        var options = new MultiplexerOptions { Settings = settings };
        int delivered = 0;
        await using MuxPair pair = await MuxPair.StartAsync(options, options, serverHandler: async _ =>
        {
            await release.Task;
            Interlocked.Increment(ref delivered);
        });

        byte[] message = Pattern(size, 4);
        var sends = Enumerable.Range(0, count).Select(_ => pair.Client.SendAsync(channel, message)).ToList();
        Task all = Task.WhenAll(sends);

        Assert.NotSame(all, await Task.WhenAny(all, Task.Delay(500)));
        Assert.True(sends.Count(s => s.IsCompleted) <= mostCompleted, $"{sends.Count(s => s.IsCompleted)} of {count} sends completed against a stalled receiver");

        release.SetResult();
        await all.WaitAsync(TimeSpan.FromSeconds(20));
        long deadline = Environment.TickCount64 + 10_000;
        while (Volatile.Read(ref delivered) < count && Environment.TickCount64 < deadline)
        {
            await Task.Delay(10);
        }

        Assert.Equal(count, Volatile.Read(ref delivered));
    }

    [Fact]
    public async Task Dispose_sends_go_away_and_the_peer_sees_a_normal_close()
    {
        MuxPair pair = await MuxPair.StartAsync();
        await pair.Client.SendAsync(NativeChannel.Rpc, new byte[] { 1, 2, 3 });

        await pair.Client.DisposeAsync();

        CloseReason goAway = await pair.Server.GoAwayReceived.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(NativeErrorCode.None, goAway.Code);
        CloseReason reason = await pair.Server.Completion.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(reason.ByPeer);
        Assert.Equal(NativeErrorCode.None, reason.Code);
        Assert.Equal([1, 2, 3], (await MuxPair.TakeAsync(pair.ServerReceived)).Message);
        await Assert.ThrowsAsync<MultiplexerClosedException>(() => pair.Server.SendAsync(NativeChannel.Rpc, new byte[] { 1 }));
    }

    [Fact]
    public async Task Invalid_sends_are_refused_at_once()
    {
        await using MuxPair pair = await MuxPair.StartAsync();

        Assert.Throws<ArgumentException>(() => { _ = pair.Client.SendAsync(NativeChannel.Control, new byte[] { 1 }); });
        Assert.Throws<ArgumentException>(() => { _ = pair.Client.SendAsync(NativeChannel.Rpc, ReadOnlyMemory<byte>.Empty); });
        Assert.Throws<ArgumentException>(() => { _ = pair.Client.SendAsync(NativeChannel.Bulk, new byte[pair.Client.Remote.MaxMessage + 1]); });
    }

    [Fact]
    public async Task The_binary_form_is_refused_when_no_schema_was_agreed()
    {
        var noSchemas = new MultiplexerOptions { Settings = new NativeSettings { Schemas = [] } };
        await using MuxPair pair = await MuxPair.StartAsync(clientOptions: noSchemas);

        Assert.Empty(pair.Client.Agreement.Schemas);
        Assert.Throws<InvalidOperationException>(() => { _ = pair.Client.SendAsync(NativeChannel.Rpc, new byte[] { 1 }, MessageFormat.Schema); });
        Assert.Throws<InvalidOperationException>(() => { _ = pair.Client.SendAsync(NativeChannel.Rpc, new Hypha.Protocol.Schemas.RpcMethodV4 { Type = "method" }); });
    }

    [Fact]
    public async Task A_cancelled_send_is_withdrawn_before_it_starts_and_finishes_once_it_has()
    {
        // The peer grants 64 KiB of bulk credit and no more until told: the first send starts and stalls halfway.
        await using var peer = new RawPeer(remote: new NativeSettings { BulkWindow = 64 * 1024 });
        using var cancel = new CancellationTokenSource();
        Task started = peer.Mux.SendAsync(NativeChannel.Bulk, Pattern(100 * 1024, 6), cancel.Token);
        Task queued = peer.Mux.SendAsync(NativeChannel.Bulk, Pattern(100 * 1024, 7), cancel.Token);
        await Task.Delay(200);

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queued.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.False(started.IsCompleted, "a send already under way must not complete while its bytes are still being written");
        await peer.WriteAsync(RawPeer.Control(ControlMessages.WindowUpdate(NativeChannel.Bulk, 1024 * 1024)));
        await started.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
