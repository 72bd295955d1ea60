using System.Threading.Channels;
using Hypha.Protocol.MsgPack;
using Hypha.Protocol.Native;
using Hypha.Protocol.Schemas;
using Hypha.Transport.Multiplexing;

namespace Hypha.Transport.Tests;

/// <summary>The binary form on a connection: agreement, interning per channel, large messages, compression, and bad input.</summary>
public sealed class SchemaMessageTests
{
    [Fact]
    public async Task Both_sides_agree_the_built_in_envelope_by_default()
    {
        await using MuxPair pair = await MuxPair.StartAsync();

        Assert.Equal([RpcMethodV4.Schema.Fingerprint, StreamItem.Schema.Fingerprint], pair.Client.Agreement.Schemas.Select(s => s.Fingerprint));
        Assert.Equal(0, pair.Server.SchemaNumber(RpcMethodV4.Schema.Id, RpcMethodV4.Schema.Fingerprint));
        Assert.Equal(1, pair.Server.SchemaNumber(StreamItem.Schema.Id, StreamItem.Schema.Fingerprint));
    }

    [Fact]
    public async Task Messages_on_every_channel_decode_in_step_with_their_interned_values()
    {
        var received = Channel.CreateUnbounded<(NativeChannel, RpcMethodV4)>();
        await using MuxPair pair = await MuxPair.StartAsync(serverHandler: message =>
        {
            // The body must be read before the handler returns: later messages may replace its interned values.
            received.Writer.TryWrite((message.Channel, message.ReadBody<RpcMethodV4>()));
            return ValueTask.CompletedTask;
        });

        var sent = new List<(NativeChannel Channel, RpcMethodV4 Message)>();
        var random = new Random(4);
        for (int i = 0; i < 3000; i++)
        {
            var channel = (NativeChannel)(1 + random.Next(3));
            var message = new RpcMethodV4
            {
                Type = "method",
                From = $"ws/c{random.Next(1500)}",
                To = "ws/hot",
                Method = $"services.s{random.Next(1200)}.f",
                User = RawMsgPack.From(new MsgPackMap { { "id", random.Next(50) } }),
                Args = RawMsgPack.From(new MsgPackValue[] { i }),
            };
            sent.Add((channel, message));
            await pair.Client.SendAsync(channel, message);
        }

        var got = new List<(NativeChannel Channel, RpcMethodV4 Message)>();
        for (int i = 0; i < sent.Count; i++)
        {
            got.Add(await received.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
        }

        foreach (NativeChannel channel in new[] { NativeChannel.Stream, NativeChannel.Rpc, NativeChannel.Bulk })
        {
            var expected = sent.Where(s => s.Channel == channel).Select(s => (s.Message.From, s.Message.Method, s.Message.User, s.Message.Args)).ToList();
            var actual = got.Where(g => g.Channel == channel).Select(g => (g.Message.From, g.Message.Method, g.Message.User, g.Message.Args)).ToList();
            Assert.Equal(expected, actual);
        }

        Assert.Equal(3000, pair.Client.Statistics.BinaryMessagesSent);
        Assert.Equal(3000, pair.Server.Statistics.BinaryMessagesReceived);
    }

    [Fact]
    public async Task An_rpc_message_larger_than_a_frame_goes_on_bulk_against_bulk_s_table()
    {
        var received = Channel.CreateUnbounded<(NativeChannel, RpcMethodV4)>();
        await using MuxPair pair = await MuxPair.StartAsync(serverHandler: message =>
        {
            received.Writer.TryWrite((message.Channel, message.ReadBody<RpcMethodV4>()));
            return ValueTask.CompletedTask;
        });
        byte[] big = new byte[300_000];
        new Random(1).NextBytes(big);
        var large = new RpcMethodV4 { Type = "method", To = "ws/a", Method = "m", Args = RawMsgPack.From(new MsgPackValue[] { big }) };
        var small = new RpcMethodV4 { Type = "method", To = "ws/a", Method = "m", Args = RawMsgPack.From(new MsgPackValue[] { 1 }) };

        for (int i = 0; i < 3; i++)
        {
            await pair.Client.SendAsync(NativeChannel.Rpc, small);
            await pair.Client.SendAsync(NativeChannel.Rpc, large);
        }

        var got = new List<(NativeChannel Channel, RpcMethodV4 Message)>();
        for (int i = 0; i < 6; i++)
        {
            got.Add(await received.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
        }

        Assert.Equal(3, got.Count(g => g.Channel == NativeChannel.Bulk && g.Message.Args!.Value.Equals(large.Args!.Value)));
        Assert.Equal(3, got.Count(g => g.Channel == NativeChannel.Rpc && g.Message.Args!.Value.Equals(small.Args!.Value)));
        Assert.All(got, g => Assert.Equal("ws/a", g.Message.To));
    }

    [Fact]
    public async Task Compressed_binary_messages_decode_as_sent()
    {
        var received = Channel.CreateUnbounded<RpcMethodV4>();
        await using MuxPair pair = await MuxPair.StartAsync(serverHandler: message =>
        {
            received.Writer.TryWrite(message.ReadBody<RpcMethodV4>());
            return ValueTask.CompletedTask;
        });
        string text = string.Concat(Enumerable.Repeat("the quick brown fox jumps over the lazy dog. ", 200));
        var message = new RpcMethodV4 { Type = "method", To = "ws/a", Method = "m", Args = RawMsgPack.From(new MsgPackValue[] { text }) };

        await pair.Client.SendAsync(NativeChannel.Rpc, message);

        RpcMethodV4 back = await received.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(message.Args, back.Args);
        Assert.Equal(1, pair.Client.Statistics.MessagesCompressed);
    }

    [Fact]
    public async Task Plain_binary_rpc_messages_come_in_pooled_arrays_that_their_handler_may_give_back()
    {
        // The handler reads each body and gives its array back at once, so the pool hands the same arrays out again
        // for the messages after it: each must still decode as sent. A compressed message, one in msgpack, and one
        // on another channel come in arrays of their own.
        var received = Channel.CreateUnbounded<(MessageFormat Format, bool Pooled, string? Method)>();
        await using MuxPair pair = await MuxPair.StartAsync(serverHandler: message =>
        {
            string? method = message.Format == MessageFormat.Schema ? message.ReadBody<RpcMethodV4>().Method : null;
            if (message.PooledArray is { } pooled)
            {
                Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(message.Payload, out ArraySegment<byte> segment));
                Assert.Same(pooled, segment.Array);
                System.Buffers.ArrayPool<byte>.Shared.Return(pooled);
            }

            received.Writer.TryWrite((message.Format, message.PooledArray is not null, method));
            return ValueTask.CompletedTask;
        });
        string text = string.Concat(Enumerable.Repeat("the quick brown fox jumps over the lazy dog. ", 200));

        for (int i = 0; i < 200; i++)
        {
            await pair.Client.SendAsync(NativeChannel.Rpc, new RpcMethodV4 { Type = "method", To = "ws/a", Method = $"m{i}", Args = RawMsgPack.From(new MsgPackValue[] { i }) });
        }

        await pair.Client.SendAsync(NativeChannel.Rpc, new RpcMethodV4 { Type = "method", To = "ws/a", Method = "compressed", Args = RawMsgPack.From(new MsgPackValue[] { text }) });
        await pair.Client.SendAsync(NativeChannel.Rpc, new byte[] { 0x80 });
        for (int i = 0; i < 200; i++)
        {
            Assert.Equal((MessageFormat.Schema, true, $"m{i}"), await received.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
        }

        Assert.Equal((MessageFormat.Schema, false, "compressed"), await received.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal((MessageFormat.MsgPack, false, null), await received.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10)));

        await pair.Client.SendAsync(NativeChannel.Stream, new RpcMethodV4 { Type = "method", To = "ws/a", Method = "stream" });
        Assert.Equal((MessageFormat.Schema, false, "stream"), await received.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task A_message_naming_a_schema_that_was_not_agreed_arrives_without_one_and_the_connection_goes_on()
    {
        var received = Channel.CreateUnbounded<InboundMessage>();
        await using MuxPair pair = await MuxPair.StartAsync(serverHandler: message =>
        {
            received.Writer.TryWrite(message);
            return ValueTask.CompletedTask;
        });

        await pair.Client.SendAsync(NativeChannel.Rpc, new byte[] { 5, 0, 1, 2, 3 }, MessageFormat.Schema);
        await pair.Client.SendAsync(NativeChannel.Rpc, new RpcMethodV4 { Type = "method", To = "ws/a" });

        InboundMessage unknown = await received.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Null(unknown.Schema);
        Assert.Equal(5, unknown.SchemaNumber);
        Assert.Throws<SchemaFormatException>(() => unknown.ReadBody<RpcMethodV4>());
        InboundMessage known = await received.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("ws/a", known.ReadBody<RpcMethodV4>().To);
    }

    [Fact]
    public async Task A_header_that_does_not_decode_closes_the_connection_with_a_protocol_error()
    {
        await using MuxPair pair = await MuxPair.StartAsync();

        // Schema 0, then a definition count of 2000: over any table, so the tables can no longer be in step.
        await pair.Client.SendAsync(NativeChannel.Rpc, new byte[] { 0, 0xd0, 0x0f, 0 }, MessageFormat.Schema);

        CloseReason reason = await pair.Server.Completion.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(NativeErrorCode.ProtocolError, reason.Code);
        Assert.Contains("header", reason.Message, StringComparison.Ordinal);
    }
}
