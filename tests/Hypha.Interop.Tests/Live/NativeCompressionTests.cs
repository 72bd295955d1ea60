using System.Text;
using Hypha.Client;
using Hypha.Client.Rpc;
using Hypha.Client.Services;
using Hypha.Interop.Tests.Infrastructure;
using Hypha.Protocol.Native;
using Hypha.Transport.Multiplexing;

namespace Hypha.Interop.Tests.Live;

/// <summary>
/// Compression end to end: our native clients through our server, with compression on (the default) and off. The
/// results are identical, and the bytes each client's connection carries shrink for compressible payloads.
/// </summary>
public sealed class NativeCompressionTests
{
    private static ServiceBuilder Echo() => new ServiceBuilder("echo")
        .Visibility(ServiceVisibility.Public)
        .Add("text", (string text) => text)
        .Add("bytes", (byte[] data) => data);

    [Fact]
    public async Task A_call_with_compression_gives_the_same_result_in_fewer_bytes_than_without()
    {
        await using LiveServer server = await LiveServer.StartAsync();
        await using HyphaClient provider = await HyphaClient.ConnectAsync(server.NativeClient("provider"));
        await using HyphaClient compressing = await HyphaClient.ConnectAsync(server.NativeClient());
        await using HyphaClient plain = await HyphaClient.ConnectAsync(server.NativeClient(settings: new NativeSettings { Compression = [] }));
        ServiceRegistration registration = await provider.RegisterServiceAsync(Echo());

        // 40 KB of JSON: one rpc frame each way, compressed by the caller, the server (both hops) and the provider.
        string json = Encoding.ASCII.GetString(Protocol.Tests.Compression.CompressionSamples.Json(40_000));
        (string viaCompression, long sentCompressed, long receivedCompressed) = await EchoAsync(compressing, registration.Id, json);
        (string viaPlain, long sentPlain, long receivedPlain) = await EchoAsync(plain, registration.Id, json);

        Assert.Equal(json, viaCompression);
        Assert.Equal(json, viaPlain);
        Assert.True(sentPlain > json.Length && receivedPlain > json.Length, $"plain: {sentPlain} sent, {receivedPlain} received");
        Assert.True(sentCompressed < json.Length / 2, $"compressed: {sentCompressed} bytes sent for {json.Length}");
        Assert.True(receivedCompressed < json.Length / 2, $"compressed: {receivedCompressed} bytes received for {json.Length}");
        Assert.True(compressing.NativeStatistics!.Value.MessagesCompressed >= 1);
        Assert.Equal(0, plain.NativeStatistics!.Value.MessagesCompressed);
    }

    [Fact]
    public async Task Large_payloads_between_hosts_travel_compressed_on_the_bulk_channel()
    {
        // Both clients pretend to run on other hosts, so every hop of a large message is compressed on bulk (and no
        // shared memory is agreed): the 2 MiB argument and the result each travel whole, compressed.
        await using LiveServer server = await LiveServer.StartAsync();
        await using HyphaClient provider = await HyphaClient.ConnectAsync(server.NativeClient("provider", new NativeSettings { Host = "provider-host" }));
        await using HyphaClient consumer = await HyphaClient.ConnectAsync(server.NativeClient(settings: new NativeSettings { Host = "consumer-host" }));
        RemoteService echo = await consumer.GetServiceAsync((await provider.RegisterServiceAsync(Echo())).Id);
        byte[] numbers = Protocol.Tests.Compression.CompressionSamples.Numeric(2 * 1024 * 1024);
        MultiplexerStatistics before = consumer.NativeStatistics!.Value;

        byte[] back = await echo.InvokeAsync<byte[]>("bytes", numbers);

        MultiplexerStatistics after = consumer.NativeStatistics!.Value;
        Assert.Equal(numbers, back);
        Assert.True(after.BytesSent - before.BytesSent < numbers.Length * 0.7, $"{after.BytesSent - before.BytesSent} bytes sent for {numbers.Length}");
        Assert.True(after.BytesReceived - before.BytesReceived < numbers.Length * 0.7, $"{after.BytesReceived - before.BytesReceived} bytes received for {numbers.Length}");
        Assert.True(after.MessagesCompressed - before.MessagesCompressed >= 1);
    }

    [Fact]
    public async Task Random_payloads_are_not_compressed_and_still_arrive()
    {
        await using LiveServer server = await LiveServer.StartAsync();
        await using HyphaClient provider = await HyphaClient.ConnectAsync(server.NativeClient("provider"));
        await using HyphaClient consumer = await HyphaClient.ConnectAsync(server.NativeClient());
        RemoteService echo = await consumer.GetServiceAsync((await provider.RegisterServiceAsync(Echo())).Id);
        byte[] random = Protocol.Tests.Compression.CompressionSamples.Random(50_000);
        MultiplexerStatistics before = consumer.NativeStatistics!.Value;

        Assert.Equal(random, await echo.InvokeAsync<byte[]>("bytes", random));

        MultiplexerStatistics after = consumer.NativeStatistics!.Value;
        Assert.Equal(before.MessagesCompressed, after.MessagesCompressed);
        Assert.True(after.BytesSent - before.BytesSent > random.Length);
    }

    private static async Task<(string Result, long Sent, long Received)> EchoAsync(HyphaClient client, string serviceId, string text)
    {
        RemoteService echo = await client.GetServiceAsync(serviceId);
        Assert.Equal("warm", await echo.InvokeAsync<string>("text", "warm"));
        MultiplexerStatistics before = client.NativeStatistics!.Value;
        string result = await echo.InvokeAsync<string>("text", text);
        MultiplexerStatistics after = client.NativeStatistics!.Value;
        return (result, after.BytesSent - before.BytesSent, after.BytesReceived - before.BytesReceived);
    }
}
