using System.Net.Sockets;
using Hypha.Client;
using Hypha.Client.Connection;
using Hypha.Client.Rpc;
using Hypha.Client.Services;
using Hypha.Interop.Tests.Infrastructure;
using Hypha.Protocol.MsgPack;
using Hypha.Protocol.Native;
using Hypha.Transport.Connections;
using Hypha.Transport.Multiplexing;

namespace Hypha.Interop.Tests.Live;

/// <summary>Our clients in native mode (tcp:// and unix://) through our server, with each other and with hypha-mode clients.</summary>
public sealed class NativeModeTests
{
    private static ServiceBuilder Calculator() => new ServiceBuilder("calc")
        .Visibility(ServiceVisibility.Public)
        .Add("add", (int a, int b) => a + b)
        .Add("size", (byte[] data) => data.Length)
        .Add("blob", (int size) => Enumerable.Range(0, size).Select(i => (byte)i).ToArray())
        .Add("count", (int n) => Count(n))
        .Add("twice", async (RemoteFunction callback, int x) => 2 * await callback.InvokeAsync<int>(x))
        .Add("fail", (string message) => ThrowingCall(message));

    private static async IAsyncEnumerable<int> Count(int n)
    {
        for (int i = 0; i < n; i++)
        {
            await Task.Yield();
            yield return i;
        }
    }

    private static int ThrowingCall(string message) => throw new InvalidOperationException(message);

    public static TheoryData<string, string> ModePairs => new()
    {
        { "tcp", "tcp" },
        { "unix", "unix" },
        { "tcp", "ws" },
        { "ws", "unix" },
    };

    private static string Url(LiveServer server, string mode) => mode switch
    {
        "tcp" => server.NativeUrl,
        "unix" => server.UnixUrl,
        _ => server.Url,
    };

    [Theory]
    [MemberData(nameof(ModePairs))]
    public async Task The_full_call_semantics_work_across_modes(string providerMode, string consumerMode)
    {
        await using LiveServer server = await LiveServer.StartAsync();
        await using HyphaClient provider = await HyphaClient.ConnectAsync(new HyphaClientOptions { ServerUrl = Url(server, providerMode), ClientId = "provider" });
        await using HyphaClient consumer = await HyphaClient.ConnectAsync(new HyphaClientOptions { ServerUrl = Url(server, consumerMode) });
        ServiceRegistration registration = await provider.RegisterServiceAsync(Calculator());
        RemoteService calc = await consumer.GetServiceAsync(registration.Id);

        Assert.Equal(42, await calc.InvokeAsync<int>("add", 40, 2));
        Assert.Equal(22, await calc.InvokeAsync<int>("twice", new Func<int, Task<int>>(x => Task.FromResult(x + 1)), 10));
        var items = new List<int>();
        await foreach (int item in (await calc.InvokeAsync<IAsyncEnumerable<int>>("count", 50)))
        {
            items.Add(item);
        }

        Assert.Equal(Enumerable.Range(0, 50), items);
        var error = await Assert.ThrowsAsync<RemoteException>(() => calc.InvokeAsync<int>("fail", "native boom"));
        Assert.Contains("native boom", error.Message, StringComparison.Ordinal);
        Assert.Equal("hi", await consumer.Manager.InvokeAsync<string>("echo", "hi"));
    }

    [Theory]
    [InlineData("tcp")]
    [InlineData("unix")]
    public async Task Large_payloads_travel_both_ways(string mode)
    {
        await using LiveServer server = await LiveServer.StartAsync();
        await using HyphaClient provider = await HyphaClient.ConnectAsync(new HyphaClientOptions { ServerUrl = Url(server, mode), ClientId = "provider" });
        await using HyphaClient consumer = await HyphaClient.ConnectAsync(new HyphaClientOptions { ServerUrl = Url(server, mode) });
        RemoteService calc = await consumer.GetServiceAsync((await provider.RegisterServiceAsync(Calculator())).Id);
        byte[] big = new byte[20 * 1024 * 1024];
        new Random(5).NextBytes(big);

        Assert.Equal(big.Length, await calc.InvokeAsync<int>("size", big));
        byte[] back = await calc.InvokeAsync<byte[]>("blob", 3 * 1024 * 1024);
        Assert.Equal(Enumerable.Range(0, 3 * 1024 * 1024).Select(i => (byte)i), back);
    }

    [Fact]
    public async Task A_thousand_concurrent_calls_over_one_native_connection_all_return_with_manager_calls_among_them()
    {
        // The server reads a native client's messages into one reused instance whenever the router says nothing holds
        // the last one: calls to the manager, which keeps them, come between calls to a provider, which does not.
        await using LiveServer server = await LiveServer.StartAsync();
        await using HyphaClient provider = await HyphaClient.ConnectAsync(new HyphaClientOptions { ServerUrl = server.NativeUrl, ClientId = "provider" });
        await using HyphaClient consumer = await HyphaClient.ConnectAsync(new HyphaClientOptions { ServerUrl = server.NativeUrl });
        RemoteService calc = await consumer.GetServiceAsync((await provider.RegisterServiceAsync(Calculator())).Id);

        Task<int>[] sums = Enumerable.Range(0, 1000).Select(i => calc.InvokeAsync<int>("add", i, i)).ToArray();
        Task<string>[] echoes = Enumerable.Range(0, 200).Select(i => consumer.Manager.InvokeAsync<string>("echo", $"echo-{i}")).ToArray();

        Assert.Equal(Enumerable.Range(0, 1000).Select(i => 2 * i), await Task.WhenAll(sums));
        Assert.Equal(Enumerable.Range(0, 200).Select(i => $"echo-{i}"), await Task.WhenAll(echoes));
    }

    [Fact]
    public async Task Calls_pending_on_a_native_provider_that_vanishes_fail_quickly()
    {
        await using LiveServer server = await LiveServer.StartAsync();
        var started = new TaskCompletionSource();
        HyphaClient provider = await HyphaClient.ConnectAsync(new HyphaClientOptions { ServerUrl = server.NativeUrl, ClientId = "provider", Reconnect = false });
        ServiceRegistration registration = await provider.RegisterServiceAsync(new ServiceBuilder("slow").Visibility(ServiceVisibility.Public)
            .Add("wait", async () => { started.TrySetResult(); await Task.Delay(TimeSpan.FromMinutes(1)); return 1; }));
        await using HyphaClient consumer = await HyphaClient.ConnectAsync(new HyphaClientOptions { ServerUrl = server.NativeUrl, MethodTimeout = TimeSpan.FromSeconds(60) });
        RemoteService slow = await consumer.GetServiceAsync(registration.Id);

        Task<int> pending = slow.InvokeAsync<int>("wait");
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await provider.DisposeAsync();

        var error = await Assert.ThrowsAnyAsync<Exception>(() => pending.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.IsNotType<TimeoutException>(error);
    }

    [Fact]
    public async Task Disposing_a_native_client_lets_its_calls_in_flight_finish()
    {
        await using LiveServer server = await LiveServer.StartAsync();
        await using HyphaClient provider = await HyphaClient.ConnectAsync(new HyphaClientOptions { ServerUrl = server.NativeUrl, ClientId = "provider" });
        ServiceRegistration registration = await provider.RegisterServiceAsync(new ServiceBuilder("slow").Visibility(ServiceVisibility.Public)
            .Add("late", async (int x) => { await Task.Delay(300); return x; }));
        // The drain time is generous: on a loaded machine a cold first call can take more than the default second,
        // and what is tested is that the dispose waits for the call, not how fast the call is.
        HyphaClient consumer = await HyphaClient.ConnectAsync(new HyphaClientOptions { ServerUrl = server.NativeUrl, DrainTimeout = TimeSpan.FromSeconds(30) });
        RemoteService slow = await consumer.GetServiceAsync(registration.Id);

        Task<int> inFlight = slow.InvokeAsync<int>("late", 7);
        await consumer.DisposeAsync();

        Assert.Equal(7, await inFlight);
    }

    [Fact]
    public async Task A_stopping_server_lets_calls_in_flight_finish_before_it_closes()
    {
        await using LiveServer server = await LiveServer.StartAsync(options => options with { ShutdownDrainTimeout = TimeSpan.FromSeconds(30) });
        await using HyphaClient provider = await HyphaClient.ConnectAsync(new HyphaClientOptions { ServerUrl = server.NativeUrl, ClientId = "provider", Reconnect = false });
        ServiceRegistration registration = await provider.RegisterServiceAsync(new ServiceBuilder("slow").Visibility(ServiceVisibility.Public)
            .Add("late", async (int x) => { await Task.Delay(400); return x; }));
        await using HyphaClient consumer = await HyphaClient.ConnectAsync(new HyphaClientOptions { ServerUrl = server.NativeUrl, Reconnect = false });
        RemoteService slow = await consumer.GetServiceAsync(registration.Id);

        Task<int> inFlight = slow.InvokeAsync<int>("late", 9);
        await Task.Delay(50);
        Task stopping = server.Server.StopAsync();

        Assert.Equal(9, await inFlight);
        await stopping;
    }

    [Fact]
    public async Task A_half_open_native_client_is_found_by_the_heartbeat_and_forgotten()
    {
        var native = new MultiplexerOptions { Settings = new NativeSettings { Heartbeat = TimeSpan.FromMilliseconds(100) }, MinDeadPeerTimeout = TimeSpan.FromMilliseconds(600) };
        await using LiveServer server = await LiveServer.StartAsync(options => options with { Native = native });
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync("127.0.0.1", new Uri(server.Url).Port);

        // A client that completes the handshake and then never sends another byte (nor answers pings): half open.
        await using (var transport = SocketTransport.FromConnected(socket))
        {
            var auth = new MsgPackMap { { "client_id", "silent" }, { "token", MsgPackValue.Nil } };
            (_, MsgPackMap info) = await NativeHandshake.ConnectAsync(transport, new NativeSettings { Heartbeat = TimeSpan.Zero }, auth, CancellationToken.None);
            string address = $"{info["workspace"].AsString()}/silent";
            Assert.True(server.Server.IsConnected(address), "the silent client was not admitted");

            long deadline = Environment.TickCount64 + 10_000;
            while (server.Server.IsConnected(address) && Environment.TickCount64 < deadline)
            {
                await Task.Delay(50);
            }

            Assert.False(server.Server.IsConnected(address), "the half-open client is still registered after 10 s");
        }
    }

    [Fact]
    public async Task A_bad_token_is_refused_with_the_reason()
    {
        await using LiveServer server = await LiveServer.StartAsync();

        var error = await Assert.ThrowsAsync<HyphaConnectionException>(() =>
            HyphaClient.ConnectAsync(new HyphaClientOptions { ServerUrl = server.NativeUrl, Token = "not-a-token" }));

        Assert.StartsWith("ConnectionAbortedError:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_second_live_client_with_the_same_id_is_refused()
    {
        await using LiveServer server = await LiveServer.StartAsync();
        await using HyphaClient first = await HyphaClient.ConnectAsync(new HyphaClientOptions { ServerUrl = server.NativeUrl, ClientId = "twin" });

        var error = await Assert.ThrowsAsync<HyphaConnectionException>(() => HyphaClient.ConnectAsync(
            new HyphaClientOptions { ServerUrl = server.NativeUrl, ClientId = "twin", Workspace = first.Workspace, Reconnect = false }));

        Assert.Contains("ConnectionAbortedError", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new byte[] { (byte)'H', (byte)'Y', (byte)'P', (byte)'H', 9, 0, 0, 0 }, NativeErrorCode.UnsupportedVersion)]
    [InlineData(new byte[] { (byte)'H', (byte)'Y', (byte)'P', (byte)'H', 1, 0, 0, 0, 5, 0, 0, 0, 2, 1, 0, 0, 1, 2, 3, 4, 5 }, NativeErrorCode.ProtocolError)]
    [InlineData(new byte[] { (byte)'H', (byte)'Y', (byte)'P', (byte)'H', 1, 0, 0, 0, 0xff, 0xff, 0xff, 0x7f, 0, 1, 0, 0 }, NativeErrorCode.FrameTooLarge)]
    public async Task A_bad_native_handshake_gets_an_error_frame_and_the_server_stays_up(byte[] bytes, NativeErrorCode expected)
    {
        await using LiveServer server = await LiveServer.StartAsync();
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync("127.0.0.1", new Uri(server.Url).Port);

        await socket.SendAsync(bytes);
        byte[] answer = await ReadToEndAsync(socket);

        Assert.Equal("HYPH"u8.ToArray(), answer[..4]);
        var header = FrameHeader.Read(answer.AsSpan(NativePreface.Size), int.MaxValue, FrameFlags.End);
        ControlMessage error = ControlMessage.Decode(answer.AsMemory(NativePreface.Size + FrameHeader.Size, header.Length));
        Assert.Equal(ControlType.Error, error.Type);
        Assert.Equal(expected, ControlMessages.ReadReason(error).Code);
        await using HyphaClient client = await HyphaClient.ConnectAsync(new HyphaClientOptions { ServerUrl = server.NativeUrl });
        Assert.Equal("still up", await client.Manager.InvokeAsync<string>("echo", "still up"));
    }

    [Fact]
    public async Task Http_and_websockets_still_work_on_the_shared_port()
    {
        await using LiveServer server = await LiveServer.StartAsync();
        using var http = new HttpClient();

        HttpResponseMessage response = await http.GetAsync($"{server.Url}/nothing-here");

        Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
        await using HyphaClient client = await HyphaClient.ConnectAsync(new HyphaClientOptions { ServerUrl = server.Url });
        Assert.Equal("ws", await client.Manager.InvokeAsync<string>("echo", "ws"));
    }

    [Fact]
    public async Task Bytes_that_start_like_the_preface_and_then_pause_still_reach_http_intact()
    {
        await using LiveServer server = await LiveServer.StartAsync(options => options with { AuthTimeout = TimeSpan.FromMilliseconds(300) });
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync("127.0.0.1", new Uri(server.Url).Port);

        // "HY" could still become the preface; the pause outlasts the sniffing deadline, so HTTP gets the connection
        // with those two bytes unread, and then the rest: the method HYPX is unknown but the path decides the answer.
        await socket.SendAsync("HY"u8.ToArray());
        await Task.Delay(800);
        await socket.SendAsync("PX /nothing HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"u8.ToArray());
        string answer = System.Text.Encoding.ASCII.GetString(await ReadToEndAsync(socket));

        Assert.StartsWith("HTTP/1.1 404", answer, StringComparison.Ordinal);
    }

    private static async Task<byte[]> ReadToEndAsync(Socket socket)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var received = new List<byte>();
        byte[] buffer = new byte[4096];
        int read;
        while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token)) > 0)
        {
            received.AddRange(buffer.AsSpan(0, read).ToArray());
        }

        return [.. received];
    }
}
