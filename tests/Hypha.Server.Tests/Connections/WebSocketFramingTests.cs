using System.Text;
using Hypha.Protocol.WebSocketFrames;
using Hypha.Server.Connections;
using Hypha.Server.Tests.Infrastructure;
using static Hypha.Server.Tests.Infrastructure.RawWebSocket;

namespace Hypha.Server.Tests.Connections;

/// <summary>The server's own WebSocket framing against a client that writes frames byte by byte.</summary>
public sealed class WebSocketFramingTests
{
    [Fact]
    public async Task The_upgrade_answers_the_key_and_agrees_to_no_extension_or_subprotocol()
    {
        (HyphaServer server, _) = await TestServer.StartAsync();
        await using (server)
        {
            await using RawWebSocket socket = await ConnectAsync(
                server, "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\nSec-WebSocket-Protocol: chat\r\n");
            Assert.True(socket.Upgraded, socket.Response);
            Assert.Contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", socket.Response, StringComparison.Ordinal);
            Assert.DoesNotContain("Sec-WebSocket-Extensions", socket.Response, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("Sec-WebSocket-Protocol", socket.Response, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task Another_protocol_version_gets_426_with_the_supported_one_and_a_bad_key_gets_400()
    {
        (HyphaServer server, _) = await TestServer.StartAsync();
        await using (server)
        {
            await using RawWebSocket version8 = await ConnectAsync(server, version: "8");
            Assert.StartsWith("HTTP/1.1 426", version8.Response, StringComparison.Ordinal);
            Assert.Contains("Sec-WebSocket-Version: 13", version8.Response, StringComparison.Ordinal);

            await using RawWebSocket badKey = await ConnectAsync(server, key: "short");
            Assert.StartsWith("HTTP/1.1 400", badKey.Response, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_fragmented_message_with_a_ping_between_its_fragments_is_routed_whole_and_the_ping_answered()
    {
        (HyphaServer server, _) = await TestServer.StartAsync();
        await using (server)
        {
            await using RawWebSocket a = await JoinAsync(server);
            await using TestClient b = await TestClient.JoinAsync(server);
            byte[] call = Frames.Call(b.Address, "services.s.f", null, new byte[3000]);
            await a.SendAsync([
                .. Frame(WebSocketOpcode.Binary, call.AsSpan(0, 1000), fin: false),
                .. Frame(WebSocketOpcode.Ping, "are you there"u8),
                .. Frame(WebSocketOpcode.Continuation, call.AsSpan(1000, 1), fin: false),
                .. Frame(WebSocketOpcode.Continuation, call.AsSpan(1001)),
            ]);

            WebSocketMessage pong = await a.ReceiveAsync();
            Assert.Equal(WebSocketOpcode.Pong, pong.Type);
            Assert.Equal("are you there", Encoding.UTF8.GetString(pong.Payload.Span));
            Assert.Equal(call.Length - Protocol.Messages.HyphaFrame.Decode(call).MainLength, (await b.ExpectBinaryAsync()).Frame().ExtraBytes.Length);
        }
    }

    public static TheoryData<string, byte[], int> Violations => new()
    {
        { "an unmasked frame", Frame(WebSocketOpcode.Binary, [0x80], masked: false), CloseCodes.ProtocolError },
        { "a reserved bit (compression that was never agreed)", [0xC2, 0x81, 1, 2, 3, 4, 5], CloseCodes.ProtocolError },
        { "a reserved opcode", [0x83, 0x80, 1, 2, 3, 4], CloseCodes.ProtocolError },
        { "a continuation with nothing to continue", Frame(WebSocketOpcode.Continuation, [1]), CloseCodes.ProtocolError },
        { "a text message inside a binary one", [.. Frame(WebSocketOpcode.Binary, [1], fin: false), .. Frame(WebSocketOpcode.Text, "x"u8)], CloseCodes.ProtocolError },
        { "a fragmented ping", Frame(WebSocketOpcode.Ping, [1], fin: false), CloseCodes.ProtocolError },
        { "a close with a code that may not be sent", Frame(WebSocketOpcode.Close, [0x03, 0xED]), CloseCodes.ProtocolError },
        { "text that is not UTF-8", Frame(WebSocketOpcode.Text, [0x7B, 0xFF, 0x7D]), CloseCodes.InvalidPayload },
        { "a declared length of 2^40 bytes, with no payload sent", [0x82, 0xFF, 0, 0, 0x01, 0, 0, 0, 0, 0, 1, 2, 3, 4], CloseCodes.MessageTooBig },
    };

    [Theory]
    [MemberData(nameof(Violations))]
    public async Task Each_violation_closes_that_client_alone_with_its_code(string name, byte[] bytes, int code)
    {
        (HyphaServer server, FakeManager manager) = await TestServer.StartAsync();
        await using (server)
        {
            await using TestClient bystander = await TestClient.JoinAsync(server);
            await using RawWebSocket socket = await JoinAsync(server);
            await socket.SendAsync(bytes);

            (int closeCode, string error) = await socket.ExpectErrorAndCloseAsync();
            Assert.True(code == closeCode, $"{name}: close {closeCode}, {error}");
            socket.EndSending();
            await socket.ExpectEndAsync(TestTimeouts.Receive);
            await manager.WaitForAsync("disconnected", socket.Address);
            await bystander.RoundTripAsync();
        }
    }

    [Fact]
    public async Task A_violation_during_authentication_refuses_the_client_with_its_code()
    {
        (HyphaServer server, _) = await TestServer.StartAsync();
        await using (server)
        {
            await using RawWebSocket socket = await ConnectAsync(server);
            await socket.SendAsync(Frame(WebSocketOpcode.Text, "{}"u8, masked: false));
            (int code, string error) = await socket.ExpectErrorAndCloseAsync();
            Assert.Equal(CloseCodes.ProtocolError, code);
            Assert.Contains("unmasked", error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_clients_close_code_and_reason_are_echoed_and_a_close_without_code_gets_one_without()
    {
        (HyphaServer server, _) = await TestServer.StartAsync();
        await using (server)
        {
            await using RawWebSocket withCode = await JoinAsync(server);
            await withCode.SendAsync(Frame(WebSocketOpcode.Close, [0x0F, 0xA0, .. "bye"u8])); // 4000
            WebSocketMessage echo = await withCode.ReceiveAsync();
            Assert.Equal((WebSocketOpcode.Close, 4000, "bye"), (echo.Type, echo.CloseCode, echo.CloseReason));
            await withCode.ExpectEndAsync(TestTimeouts.Receive);

            await using RawWebSocket without = await JoinAsync(server);
            await without.SendAsync(Frame(WebSocketOpcode.Close, []));
            WebSocketMessage empty = await without.ReceiveAsync();
            Assert.Equal((WebSocketOpcode.Close, WebSocketCloseCodes.NoStatus), (empty.Type, empty.CloseCode));
            Assert.True(empty.Payload.IsEmpty);
        }
    }

    [Fact]
    public async Task A_client_that_answers_protocol_pings_stays_and_one_that_does_not_is_aborted()
    {
        (HyphaServer server, FakeManager manager) = await TestServer.StartAsync(o => o with
        {
            // The timeout is wide enough for a loaded CI host to schedule the answering client's pong (a 300 ms
            // timeout once cut it off there); the answering client stays well past one interval and one timeout.
            KeepAliveInterval = TimeSpan.FromMilliseconds(100),
            KeepAliveTimeout = TimeSpan.FromMilliseconds(1500),
        });
        await using (server)
        {
            await using RawWebSocket silent = await JoinAsync(server);
            await using RawWebSocket answering = await JoinAsync(server);
            Task<int> answeringPings = AnswerPingsAsync(answering, TimeSpan.FromSeconds(2.5));

            // The silent client never answers: after one interval and one timeout it is cut off, without a close frame.
            WebSocketMessage ping = await silent.ReceiveAsync();
            Assert.Equal(WebSocketOpcode.Ping, ping.Type);
            await silent.ExpectEndAsync(TimeSpan.FromSeconds(6));

            Assert.True(await answeringPings >= 3);
            await answering.SendAsync(Frame(WebSocketOpcode.Text, """{"type":"ping"}"""u8));
            WebSocketMessage pong;
            do
            {
                pong = await answering.ReceiveAsync();
            }
            while (pong.Type == WebSocketOpcode.Ping);

            Assert.Contains("pong", Encoding.UTF8.GetString(pong.Payload.Span), StringComparison.Ordinal);
        }
    }

    // Answers every protocol ping for a while; returns how many there were.
    private static async Task<int> AnswerPingsAsync(RawWebSocket socket, TimeSpan during)
    {
        int pings = 0;
        var until = DateTime.UtcNow + during;
        while (DateTime.UtcNow < until)
        {
            WebSocketMessage ping = await socket.ReceiveAsync();
            Assert.Equal(WebSocketOpcode.Ping, ping.Type);
            await socket.SendAsync(Frame(WebSocketOpcode.Pong, ping.Payload.Span));
            pings++;
        }

        return pings;
    }
}
