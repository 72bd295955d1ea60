using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Hypha.Client;
using Hypha.Client.Rpc;
using Hypha.Client.Services;
using Hypha.Interop.Tests.Infrastructure;
using Hypha.Protocol.Native;
using Hypha.Transport.Multiplexing;
using Hypha.Transport.SharedMemory;

namespace Hypha.Interop.Tests.Live;

/// <summary>
/// Large payloads between our native clients on this host, through our server: by reference in shared memory as
/// arguments, results and stream items (1 GiB written in place, never through msgpack), and the same calls with the
/// same results where shared memory cannot be used (another host, a hypha WebSocket peer).
/// </summary>
public sealed class SharedMemoryTests : IDisposable
{
    private const int OneMiBPlusOne = 1024 * 1024 + 1;
    private const int SixtyFourMiB = 64 * 1024 * 1024;
    private const int OneGiB = 1024 * 1024 * 1024;

    private readonly string _directory = Path.Combine("/dev/shm", $"hypha-live-{Guid.NewGuid():N}");

    public SharedMemoryTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData(OneMiBPlusOne)]
    [InlineData(SixtyFourMiB)]
    [InlineData(OneGiB)]
    public async Task Payloads_round_trip_by_reference_as_arguments_results_and_stream_items(int size)
    {
        await using LiveServer server = await StartServerAsync();
        await using HyphaClient provider = await ConnectAsync(server.NativeUrl);
        await using HyphaClient consumer = await ConnectAsync(server.UnixUrl);
        RemoteService service = await consumer.GetServiceAsync((await provider.RegisterServiceAsync(Payloads(provider))).Id);

        using (PayloadBuffer argument = consumer.RentPayload(size))
        {
            Assert.True(argument.IsShared);
            Fill(argument, size, seed: 1);
            Assert.Equal(Checksum(argument.Memory.Span), await service.InvokeAsync<ulong>("checksum", argument));
        }

        using (IMemoryOwner<byte> result = await service.InvokeAsync<IMemoryOwner<byte>>("make", size, 2))
        {
            Assert.IsType<SharedMemoryLease>(result);
            Assert.Equal(Expected(size, seed: 2), Checksum(result.Memory.Span));
        }

        // One item of 1 GiB: a second one could be written before the first's release reaches the provider, into a fresh segment.
        int count = size >= OneGiB ? 1 : 2;
        int seed = 10;
        await foreach (IMemoryOwner<byte> item in await service.InvokeAsync<IAsyncEnumerable<IMemoryOwner<byte>>>("stream", count, size))
        {
            using (item)
            {
                Assert.IsType<SharedMemoryLease>(item);
                Assert.Equal(Expected(size, seed++), Checksum(item.Memory.Span));
            }
        }

        Assert.Equal(10 + count, seed);
    }

    [Fact]
    public async Task Bytes_arguments_and_results_take_the_same_path_and_nothing_is_left_behind()
    {
        await using LiveServer server = await StartServerAsync();
        await using (HyphaClient provider = await ConnectAsync(server.NativeUrl))
        await using (HyphaClient consumer = await ConnectAsync(server.NativeUrl))
        {
            RemoteService service = await consumer.GetServiceAsync((await provider.RegisterServiceAsync(Payloads(provider))).Id);
            byte[] data = Pattern(3 * 1024 * 1024, seed: 4);

            Assert.Equal(data, await service.InvokeAsync<byte[]>("echo", data));
            Assert.Equal(data, (await service.InvokeAsync<ReadOnlyMemory<byte>>("echo", data)).ToArray());
            Assert.NotEmpty(Directory.GetFiles(_directory));
        }

        await WaitUntilAsync(() => Directory.GetFiles(_directory).Length == 0);
    }

    [Fact]
    public async Task Peers_that_report_another_host_fall_back_to_the_bulk_channel_with_identical_results()
    {
        await using LiveServer server = await StartServerAsync();
        await using HyphaClient provider = await ConnectAsync(server.NativeUrl, host: "provider-host");
        await using HyphaClient consumer = await ConnectAsync(server.NativeUrl, host: "consumer-host");
        RemoteService service = await consumer.GetServiceAsync((await provider.RegisterServiceAsync(Payloads(provider))).Id);

        using PayloadBuffer argument = consumer.RentPayload(OneMiBPlusOne);
        Assert.False(argument.IsShared);
        Fill(argument, OneMiBPlusOne, seed: 1);
        Assert.Equal(Checksum(argument.Memory.Span), await service.InvokeAsync<ulong>("checksum", argument));
        using IMemoryOwner<byte> result = await service.InvokeAsync<IMemoryOwner<byte>>("make", 16 * 1024 * 1024, 2);
        Assert.Equal(Expected(16 * 1024 * 1024, seed: 2), Checksum(result.Memory.Span));
        Assert.Empty(Directory.GetFiles(_directory));
    }

    [Theory]
    [InlineData("ws", "native")]
    [InlineData("native", "ws")]
    public async Task A_hypha_websocket_peer_gets_the_payload_in_message_cache_chunks(string providerMode, string consumerMode)
    {
        await using LiveServer server = await StartServerAsync();
        await using HyphaClient provider = await ConnectAsync(providerMode == "ws" ? server.Url : server.NativeUrl);
        await using HyphaClient consumer = await ConnectAsync(consumerMode == "ws" ? server.Url : server.NativeUrl);
        RemoteService service = await consumer.GetServiceAsync((await provider.RegisterServiceAsync(Payloads(provider))).Id);
        byte[] data = Pattern(5 * 1024 * 1024, seed: 6);

        Assert.Equal(Checksum(data), await service.InvokeAsync<ulong>("checksum", data));
        Assert.Equal(data, await service.InvokeAsync<byte[]>("echo", data));
        using IMemoryOwner<byte> result = await service.InvokeAsync<IMemoryOwner<byte>>("make", 3 * 1024 * 1024, 7);
        Assert.Equal(Expected(3 * 1024 * 1024, seed: 7), Checksum(result.Memory.Span));
    }

    [Fact]
    public async Task A_payload_whose_segment_vanished_fails_that_one_call_with_a_clear_error()
    {
        await using LiveServer server = await StartServerAsync();
        await using HyphaClient provider = await ConnectAsync(server.NativeUrl);
        await using HyphaClient consumer = await ConnectAsync(server.NativeUrl);
        ServiceBuilder payloads = Payloads(provider).Add("vanishing", (int size) =>
        {
            PayloadBuffer buffer = RentAndUnlink(provider, size);
            Fill(buffer, size, seed: 3);
            return buffer;
        });
        RemoteService service = await consumer.GetServiceAsync((await provider.RegisterServiceAsync(payloads)).Id);

        // An argument: the provider cannot open it, and the caller gets the reason.
        using (PayloadBuffer argument = RentAndUnlink(consumer, 2 * 1024 * 1024))
        {
            Fill(argument, 2 * 1024 * 1024, seed: 1);
            var error = await Assert.ThrowsAsync<RemoteException>(() => service.InvokeAsync<ulong>("checksum", argument));
            Assert.Contains("could not be read", error.Message, StringComparison.Ordinal);
            Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
        }

        // A result: the caller cannot open it, and its call fails with the reason.
        var failed = await Assert.ThrowsAsync<RemoteException>(() => service.InvokeAsync<IMemoryOwner<byte>>("vanishing", 2 * 1024 * 1024));
        Assert.Contains("does not exist", failed.Message, StringComparison.Ordinal);

        // The connections and other calls carry on.
        using IMemoryOwner<byte> result = await service.InvokeAsync<IMemoryOwner<byte>>("make", 2 * 1024 * 1024, 4);
        Assert.Equal(Expected(2 * 1024 * 1024, seed: 4), Checksum(result.Memory.Span));
    }

    // A buffer in a new segment whose file is then deleted: a reference to it names a file that no longer exists.
    private PayloadBuffer RentAndUnlink(HyphaClient owner, int size)
    {
        string[] before = Directory.GetFiles(_directory);
        PayloadBuffer buffer = owner.RentPayload(size);
        File.Delete(Assert.Single(Directory.GetFiles(_directory).Except(before)));
        return buffer;
    }

    private static ServiceBuilder Payloads(HyphaClient owner) => new ServiceBuilder("payloads")
        .Visibility(ServiceVisibility.Public)
        .Add("checksum", (ReadOnlyMemory<byte> data) => Checksum(data.Span))
        .Add("echo", (IMemoryOwner<byte> data) => data)
        .Add("make", (int size, int seed) => Make(owner, size, seed))
        .Add("stream", (int count, int size) => Stream(owner, count, size));

    private static PayloadBuffer Make(HyphaClient owner, int size, int seed)
    {
        PayloadBuffer buffer = owner.RentPayload(size);
        Fill(buffer, size, seed);
        return buffer;
    }

    private static async IAsyncEnumerable<PayloadBuffer> Stream(HyphaClient owner, int count, int size)
    {
        for (int i = 0; i < count; i++)
        {
            await Task.Yield();
            yield return Make(owner, size, 10 + i);
        }
    }

    private Task<LiveServer> StartServerAsync() =>
        LiveServer.StartAsync(options => options with { Native = new MultiplexerOptions { SharedMemory = SharedMemory() } });

    // Idle segments up to 2 GiB are kept, so that the stream items of the 1 GiB case reuse the result's segment: on this
    // virtual machine the first touch of a page of shared memory costs about 10 µs (2.6 s per fresh GiB).
    private SharedMemoryOptions SharedMemory() => new() { Directory = _directory, MaxIdleBytes = 2L * 1024 * 1024 * 1024 + (1 << 20) };

    private Task<HyphaClient> ConnectAsync(string url, string? host = null) => HyphaClient.ConnectAsync(new HyphaClientOptions
    {
        ServerUrl = url,
        MethodTimeout = TimeSpan.FromSeconds(60),
        Native = new MultiplexerOptions { Settings = new NativeSettings { Host = host }, SharedMemory = SharedMemory() },
    });

    // A block of random bytes, repeated, each MiB stamped with its index so that a misplaced block is caught.
    private static void Fill(IBufferWriter<byte> output, int size, int seed)
    {
        byte[] block = Pattern(1024 * 1024, seed);
        for (int offset = 0, index = 0; offset < size; offset += block.Length, index++)
        {
            int length = Math.Min(block.Length, size - offset);
            Span<byte> span = output.GetSpan(length)[..length];
            block.AsSpan(0, length).CopyTo(span);
            if (length >= 8)
            {
                BinaryPrimitives.WriteInt64LittleEndian(span, index);
            }

            output.Advance(length);
        }
    }

    // What Fill writes, checksummed block by block: a 1 GiB payload is never held in managed memory.
    private static ulong Expected(int size, int seed)
    {
        byte[] block = Pattern(1024 * 1024, seed);
        byte[] stamped = new byte[block.Length];
        ulong hash = (ulong)size;
        for (int offset = 0, index = 0; offset < size; offset += block.Length, index++)
        {
            int length = Math.Min(block.Length, size - offset);
            block.CopyTo(stamped, 0);
            if (length >= 8)
            {
                BinaryPrimitives.WriteInt64LittleEndian(stamped, index);
            }

            hash = Checksum(stamped.AsSpan(0, length), hash);
        }

        return hash;
    }

    private static byte[] Pattern(int length, int seed)
    {
        byte[] bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static ulong Checksum(ReadOnlySpan<byte> data) => Checksum(data, (ulong)data.Length);

    private static ulong Checksum(ReadOnlySpan<byte> data, ulong hash)
    {
        foreach (ulong word in MemoryMarshal.Cast<byte, ulong>(data))
        {
            hash = (hash * 31) + word;
        }

        foreach (byte tail in data[(data.Length & ~7)..])
        {
            hash = (hash * 31) + tail;
        }

        return hash;
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (int i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(25);
        }

        Assert.True(condition());
    }
}
