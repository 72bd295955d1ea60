using Hypha.Protocol.Native;
using Hypha.Protocol.Tests.Compression;
using Hypha.Transport.Compression;
using Hypha.Transport.Multiplexing;

namespace Hypha.Transport.Tests.Compression;

/// <summary>Two multiplexers in memory with compression negotiated: what arrives, what travels, and when.</summary>
public sealed class MultiplexerCompressionTests
{
    // A peer on another host: the bulk channel compresses too.
    private static MultiplexerOptions Elsewhere(CompressionOptions? compression = null) =>
        new() { Settings = new NativeSettings { Host = "another-host" }, Compression = compression ?? new CompressionOptions() };

    [Theory]
    [InlineData("lz4", NativeChannel.Rpc, 40_000)]
    [InlineData("lz4", NativeChannel.Stream, 300_000)]
    [InlineData("lz4", NativeChannel.Bulk, 3_000_000)]
    [InlineData("snappy", NativeChannel.Rpc, 40_000)]
    [InlineData("snappy", NativeChannel.Stream, 300_000)]
    [InlineData("snappy", NativeChannel.Bulk, 3_000_000)]
    public async Task Compressed_messages_arrive_identical_and_travel_smaller(string codec, NativeChannel channel, int size)
    {
        var compression = new CompressionOptions { TextCodecs = [codec], BinaryCodecs = [codec] };
        await using MuxPair pair = await MuxPair.StartAsync(Elsewhere(compression));
        byte[][] messages = [CompressionSamples.Json(size), CompressionSamples.Numeric(size), CompressionSamples.Text(size)];

        foreach (byte[] message in messages)
        {
            await pair.Client.SendAsync(channel, message);
        }

        foreach (byte[] message in messages)
        {
            (NativeChannel arrivedOn, byte[] received) = await MuxPair.TakeAsync(pair.ServerReceived);
            Assert.Equal(channel, arrivedOn);
            Assert.Equal(message, received);
        }

        MultiplexerStatistics sent = pair.Client.Statistics;
        Assert.Equal(3, sent.MessagesCompressed);
        Assert.Equal(3L * size, sent.BytesBeforeCompression);
        Assert.True(sent.BytesSent < 0.7 * 3 * size, $"{sent.BytesSent} bytes sent for {3 * size} bytes of messages");
    }

    [Fact]
    public async Task A_compressed_message_of_a_megabyte_and_more_on_the_wire_is_joined_off_the_reader_and_arrives_identical()
    {
        await using MuxPair pair = await MuxPair.StartAsync(Elsewhere());
        byte[] numbers = CompressionSamples.Numeric(8_000_000);
        byte[] small = CompressionSamples.Text(300_000);

        await Task.WhenAll(pair.Client.SendAsync(NativeChannel.Bulk, numbers), pair.Client.SendAsync(NativeChannel.Bulk, small));

        Assert.Equal(numbers, (await MuxPair.TakeAsync(pair.ServerReceived)).Message);
        Assert.Equal(small, (await MuxPair.TakeAsync(pair.ServerReceived)).Message);
        MultiplexerStatistics sent = pair.Client.Statistics;
        Assert.Equal(2, sent.MessagesCompressed);
        Assert.True(sent.BytesSent > 1024 * 1024 && sent.BytesSent < numbers.Length, $"{sent.BytesSent} bytes sent for {numbers.Length + small.Length}");
    }

    [Fact]
    public async Task A_small_message_that_decompresses_to_a_megabyte_and_more_is_opened_off_the_reader_in_order()
    {
        await using MuxPair pair = await MuxPair.StartAsync(Elsewhere());
        byte[] zeros = new byte[4 * 1024 * 1024];
        byte[] after = CompressionSamples.Text(300_000);

        await pair.Client.SendAsync(NativeChannel.Bulk, zeros);
        await pair.Client.SendAsync(NativeChannel.Bulk, after);

        Assert.Equal(zeros, (await MuxPair.TakeAsync(pair.ServerReceived)).Message);
        Assert.Equal(after, (await MuxPair.TakeAsync(pair.ServerReceived)).Message);
        Assert.True(pair.Client.Statistics.BytesSent < 1024 * 1024, $"{pair.Client.Statistics.BytesSent} bytes sent: the first message should travel small");
    }

    [Fact]
    public async Task Both_directions_compress_and_the_agreement_lists_both_codecs()
    {
        await using MuxPair pair = await MuxPair.StartAsync(Elsewhere());
        byte[] text = CompressionSamples.Text(20_000);

        await pair.Client.SendAsync(NativeChannel.Rpc, text);
        await pair.Server.SendAsync(NativeChannel.Rpc, text);

        Assert.Equal(text, (await MuxPair.TakeAsync(pair.ServerReceived)).Message);
        Assert.Equal(text, (await MuxPair.TakeAsync(pair.ClientReceived)).Message);
        Assert.Equal(["lz4", "snappy"], pair.Client.Agreement.Compression);
        Assert.Equal(pair.Client.Agreement.Compression, pair.Server.Agreement.Compression);
        Assert.Equal(1, pair.Client.Statistics.MessagesCompressed);
        Assert.Equal(1, pair.Server.Statistics.MessagesCompressed);
    }

    [Fact]
    public async Task Small_random_and_unshrinkable_messages_go_as_they_are()
    {
        await using MuxPair pair = await MuxPair.StartAsync(Elsewhere());
        byte[] small = CompressionSamples.Text(1000);
        byte[] random = CompressionSamples.Random(50_000);

        // Random float64 values: binary to the sampler, but LZ4 cannot shrink them.
        byte[] doubles = new byte[50_000];
        var values = new Random(3);
        for (int i = 0; i + 8 <= doubles.Length; i += 8)
        {
            BitConverter.TryWriteBytes(doubles.AsSpan(i), values.NextDouble());
        }

        foreach (byte[] message in new[] { small, random, doubles })
        {
            await pair.Client.SendAsync(NativeChannel.Rpc, message);
            Assert.Equal(message, (await MuxPair.TakeAsync(pair.ServerReceived)).Message);
        }

        MultiplexerStatistics sent = pair.Client.Statistics;
        Assert.Equal(0, sent.MessagesCompressed);
        Assert.Equal(1, sent.MessagesNotShrunk);
    }

    [Fact]
    public async Task On_one_host_bulk_messages_are_not_compressed_by_default()
    {
        await using MuxPair pair = await MuxPair.StartAsync();
        byte[] text = CompressionSamples.Text(200_000);
        Assert.True(pair.Client.Agreement.SameHost);

        await pair.Client.SendAsync(NativeChannel.Bulk, text);
        await pair.Client.SendAsync(NativeChannel.Stream, text);

        Assert.Equal(text, (await MuxPair.TakeAsync(pair.ServerReceived)).Message);
        Assert.Equal(text, (await MuxPair.TakeAsync(pair.ServerReceived)).Message);
        Assert.Equal(1, pair.Client.Statistics.MessagesCompressed);
    }

    [Fact]
    public async Task A_side_that_announces_no_codec_is_never_sent_a_compressed_message()
    {
        var plain = new MultiplexerOptions { Settings = new NativeSettings { Host = "another-host", Compression = [] } };
        await using MuxPair pair = await MuxPair.StartAsync(clientOptions: plain);
        byte[] text = CompressionSamples.Text(50_000);

        await pair.Client.SendAsync(NativeChannel.Rpc, text);
        await pair.Server.SendAsync(NativeChannel.Rpc, text);

        Assert.Equal(text, (await MuxPair.TakeAsync(pair.ServerReceived)).Message);
        Assert.Equal(text, (await MuxPair.TakeAsync(pair.ClientReceived)).Message);
        Assert.Empty(pair.Server.Agreement.Compression);
        Assert.Equal(0, pair.Client.Statistics.MessagesCompressed + pair.Server.Statistics.MessagesCompressed);
        Assert.True(pair.Client.Statistics.BytesSent > text.Length);
    }

    [Fact]
    public async Task Compression_turned_off_by_the_sender_sends_plain_messages()
    {
        await using MuxPair pair = await MuxPair.StartAsync(Elsewhere(CompressionOptions.Disabled));
        byte[] text = CompressionSamples.Text(50_000);

        await pair.Client.SendAsync(NativeChannel.Rpc, text);

        Assert.Equal(text, (await MuxPair.TakeAsync(pair.ServerReceived)).Message);
        Assert.Equal(0, pair.Client.Statistics.MessagesCompressed);
    }

    [Fact]
    public async Task Many_mixed_messages_on_all_channels_keep_their_order_per_channel()
    {
        await using MuxPair pair = await MuxPair.StartAsync(Elsewhere(new CompressionOptions { Threshold = 64 }));
        var random = new Random(9);
        var sent = new Dictionary<NativeChannel, List<byte[]>> { [NativeChannel.Stream] = [], [NativeChannel.Rpc] = [], [NativeChannel.Bulk] = [] };
        var sends = new List<Task>();
        for (int i = 0; i < 300; i++)
        {
            var channel = (NativeChannel)random.Next(1, 4);
            string kind = CompressionSamples.Kinds[random.Next(CompressionSamples.Kinds.Count)];
            int size = channel == NativeChannel.Rpc ? random.Next(1, 60_000) : random.Next(0, 200_000);
            byte[] message = CompressionSamples.Create(kind, size);
            message[0..Math.Min(4, message.Length)].AsSpan().Fill((byte)i);
            sent[channel].Add(message);
            sends.Add(pair.Client.SendAsync(channel, message));
        }

        await Task.WhenAll(sends);
        var received = new Dictionary<NativeChannel, List<byte[]>> { [NativeChannel.Stream] = [], [NativeChannel.Rpc] = [], [NativeChannel.Bulk] = [] };
        for (int i = 0; i < 300; i++)
        {
            (NativeChannel channel, byte[] message) = await MuxPair.TakeAsync(pair.ServerReceived);
            received[channel].Add(message);
        }

        foreach (NativeChannel channel in sent.Keys)
        {
            Assert.Equal(sent[channel], received[channel]);
        }

        Assert.True(pair.Client.Statistics.MessagesCompressed > 100);
    }
}
