using System.Text;
using System.Text.Json;
using Hypha.Client.Connection;
using Hypha.Protocol.Messages;
using Hypha.Protocol.Native;
using Hypha.Protocol.Schemas;
using Hypha.Protocol.WebSocketFrames;

namespace Hypha.Client.Tests.Connection;

/// <summary>The client's own WebSocket framing against a scripted server.</summary>
public sealed class HyphaWebSocketTests
{
    private static readonly Dictionary<string, string?> Auth = new() { ["client_id"] = "c1" };
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task The_upgrade_request_asks_for_version_13_and_nothing_else()
    {
        await using var server = new FakeWebSocketServer();
        Task<HyphaWebSocket> connecting = ConnectAsync(server);
        await server.AcceptAndAuthenticateAsync();
        await using HyphaWebSocket socket = await connecting;

        Assert.StartsWith("GET /ws HTTP/1.1\r\n", server.Request, StringComparison.Ordinal);
        Assert.Contains("\r\nSec-WebSocket-Version: 13\r\n", server.Request, StringComparison.Ordinal);
        Assert.DoesNotContain("Sec-WebSocket-Extensions", server.Request, StringComparison.Ordinal);
        Assert.DoesNotContain("Sec-WebSocket-Protocol", server.Request, StringComparison.Ordinal);
        Assert.Equal("ws-1", socket.Info.Workspace);
    }

    public static TheoryData<string, Func<string, string>, string> BadAnswers => new()
    {
        { "a refusal", _ => "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n", "503" },
        { "a wrong accept value", _ => FakeWebSocketServer.Upgrade("dGhlIHNhbXBsZSBub25jZQ=="), "Sec-WebSocket-Accept" },
        { "an extension that was not offered", key => FakeWebSocketServer.Upgrade(key, "Sec-WebSocket-Extensions: permessage-deflate\r\n"), "extension" },
        { "no upgrade", key => FakeWebSocketServer.Upgrade(key).Replace("Upgrade: websocket", "Upgrade: h2c", StringComparison.Ordinal), "does not upgrade" },
    };

    [Theory]
    [MemberData(nameof(BadAnswers))]
    public async Task A_bad_answer_to_the_upgrade_fails_the_connect(string name, Func<string, string> answer, string expected)
    {
        await using var server = new FakeWebSocketServer();
        Task<HyphaWebSocket> connecting = ConnectAsync(server);
        await server.AcceptAsync(answer);
        var error = await Assert.ThrowsAsync<HyphaConnectionException>(() => connecting);
        Assert.True(error.Message.Contains(expected, StringComparison.Ordinal), $"{name}: {error.Message}");
    }

    [Fact]
    public async Task A_refusal_after_the_upgrade_names_the_servers_reason()
    {
        await using var server = new FakeWebSocketServer();
        Task<HyphaWebSocket> connecting = ConnectAsync(server);
        await server.AcceptAsync(key => FakeWebSocketServer.Upgrade(key));
        await server.ReceiveAsync();
        await server.SendAsync(WebSocketOpcode.Text, """{"type":"error","message":"Permission denied"}"""u8);
        await server.SendAsync(WebSocketOpcode.Close, [0x03, 0xF0]); // 1008

        var error = await Assert.ThrowsAsync<HyphaConnectionException>(() => connecting);
        Assert.Equal("ConnectionAbortedError: Permission denied", error.Message);
        WebSocketMessage echo = await server.ReceiveAsync();
        Assert.Equal((WebSocketOpcode.Close, 1008), (echo.Type, echo.CloseCode));
    }

    [Fact]
    public async Task Fragments_pings_and_the_servers_close_are_handled_and_frames_go_out_masked()
    {
        await using var server = new FakeWebSocketServer();
        Task<HyphaWebSocket> connecting = ConnectAsync(server);
        await server.AcceptAndAuthenticateAsync();
        await using HyphaWebSocket socket = await connecting;
        var binaries = new List<byte[]>();
        var texts = new List<string>();
        Task<string> receiving = socket.ReceiveAsync(
            received =>
            {
                binaries.Add(received.Frame.ToArray());
                return ValueTask.CompletedTask;
            },
            json => texts.Add(json.GetProperty("type").GetString()!),
            CancellationToken.None);

        await server.SendRawAsync([
            .. FakeWebSocketServer.Frame(WebSocketOpcode.Binary, [1, 2], fin: false),
            .. FakeWebSocketServer.Frame(WebSocketOpcode.Ping, "p"u8),
            .. FakeWebSocketServer.Frame(WebSocketOpcode.Continuation, [3]),
            .. FakeWebSocketServer.Frame(WebSocketOpcode.Text, """{"type":"pong"}"""u8),
        ]);
        WebSocketMessage pong = await server.ReceiveAsync();
        Assert.Equal((WebSocketOpcode.Pong, "p"), (pong.Type, Encoding.UTF8.GetString(pong.Payload.Span)));

        var call = new RpcMethodV4 { Type = "method", To = "ws-1/c2", Method = "services.s.f" };
        await socket.SendAsync(call, NativeChannel.Rpc, CancellationToken.None);
        WebSocketMessage sent = await server.ReceiveAsync(); // the fake server's reader refuses unmasked frames
        Assert.Equal(RpcMessages.ToFrame(call), sent.Payload.ToArray());

        await server.SendAsync(WebSocketOpcode.Close, [0x03, 0xE9, .. "bye"u8]);
        Assert.Equal("closed by the server (1001: bye)", await receiving.WaitAsync(Timeout));
        WebSocketMessage echo = await server.ReceiveAsync();
        Assert.Equal((WebSocketOpcode.Close, 1001), (echo.Type, echo.CloseCode));
        Assert.Equal([1, 2, 3], Assert.Single(binaries));
        Assert.Equal("pong", Assert.Single(texts));
    }

    [Fact]
    public async Task A_masked_frame_from_the_server_ends_the_connection_with_1002()
    {
        await using var server = new FakeWebSocketServer();
        Task<HyphaWebSocket> connecting = ConnectAsync(server);
        await server.AcceptAndAuthenticateAsync();
        await using HyphaWebSocket socket = await connecting;
        Task<string> receiving = socket.ReceiveAsync(_ => ValueTask.CompletedTask, _ => { }, CancellationToken.None);

        await server.SendRawAsync(FakeWebSocketServer.Frame(WebSocketOpcode.Binary, [1], maskKey: 0x01020304));
        Assert.StartsWith("lost (A masked frame", await receiving.WaitAsync(Timeout), StringComparison.Ordinal);
        WebSocketMessage close = await server.ReceiveAsync();
        Assert.Equal((WebSocketOpcode.Close, WebSocketCloseCodes.ProtocolError), (close.Type, close.CloseCode));
        await Assert.ThrowsAsync<Hypha.Client.Rpc.RemoteException>(async () => await socket.SendTextAsync("{}", CancellationToken.None));
    }

    [Fact]
    public async Task Concurrent_senders_frames_all_arrive_whole_and_in_each_senders_order()
    {
        await using var server = new FakeWebSocketServer();
        Task<HyphaWebSocket> connecting = ConnectAsync(server);
        await server.AcceptAndAuthenticateAsync();
        await using HyphaWebSocket socket = await connecting;
        const int senders = 8;
        const int frames = 500;
        Task sending = Task.WhenAll(Enumerable.Range(0, senders).Select(sender => Task.Run(async () =>
        {
            for (int i = 0; i < frames; i++)
            {
                var call = new RpcMethodV4 { Type = "method", To = "ws-1/c2", Method = $"{sender}.{i}.{new string('x', i % 300)}" };
                await socket.SendAsync(call, NativeChannel.Rpc, CancellationToken.None);
            }
        })));

        int[] next = new int[senders];
        for (int received = 0; received < senders * frames; received++)
        {
            WebSocketMessage message = await server.ReceiveAsync();
            string[] method = RpcMessages.TryRead(message.Payload, HyphaFrame.DefaultReaderOptions)!.Method!.Split('.');
            int sender = int.Parse(method[0], System.Globalization.CultureInfo.InvariantCulture);
            int index = int.Parse(method[1], System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(next[sender]++, index);
            Assert.Equal(index % 300, method[2].Length);
        }

        await sending.WaitAsync(Timeout);
    }

    private static Task<HyphaWebSocket> ConnectAsync(FakeWebSocketServer server) =>
        HyphaWebSocket.ConnectAsync(server.Uri, Auth, "c1", 1 << 20, Timeout, CancellationToken.None);
}
