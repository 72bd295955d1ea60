using System.Buffers;
using System.Net.Sockets;
using System.Text;
using Hypha.Protocol.WebSocketFrames;

namespace Hypha.Server.Tests.Infrastructure;

/// <summary>
/// A WebSocket client written byte by byte over a plain socket, for what a well-behaved client library never sends:
/// unmasked or malformed frames, fragments, protocol pings, silence. It reads the server's frames with the same
/// message reader the server uses (expecting them unmasked).
/// </summary>
internal sealed class RawWebSocket : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;
    private readonly WebSocketMessageReader _reader = new(1 << 20, expectMasked: false);
    private byte[] _pending = [];

    private RawWebSocket(TcpClient tcp, string response)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
        Response = response;
    }

    /// <summary>The server's answer to the upgrade, status line and headers.</summary>
    public string Response { get; }

    /// <summary>The client's address from its connection_info, once joined.</summary>
    public string Address { get; private set; } = "";

    /// <summary>True when the server answered 101.</summary>
    public bool Upgraded => Response.StartsWith("HTTP/1.1 101", StringComparison.Ordinal);

    /// <summary>Sends an upgrade request (with <paramref name="extraHeaders"/>, each ending in CRLF) and reads the answer's head.</summary>
    public static async Task<RawWebSocket> ConnectAsync(HyphaServer server, string extraHeaders = "", string version = "13",
        string key = "dGhlIHNhbXBsZSBub25jZQ==")
    {
        var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync("127.0.0.1", server.Options.Port);
        string request = $"GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
            $"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: {version}\r\n{extraHeaders}\r\n";
        await tcp.GetStream().WriteAsync(Encoding.ASCII.GetBytes(request));
        var head = new List<byte>();
        using var timeout = new CancellationTokenSource(TestTimeouts.Receive);
        byte[] one = new byte[1];
        while (head.Count < 4 || !(head[^4] == '\r' && head[^3] == '\n' && head[^2] == '\r' && head[^1] == '\n'))
        {
            if (await tcp.GetStream().ReadAsync(one, timeout.Token) == 0)
            {
                break;
            }

            head.Add(one[0]);
        }

        return new RawWebSocket(tcp, Encoding.ASCII.GetString(head.ToArray()));
    }

    /// <summary>Connects and sends the authentication JSON, then reads connection_info.</summary>
    public static async Task<RawWebSocket> JoinAsync(HyphaServer server)
    {
        RawWebSocket socket = await ConnectAsync(server);
        await socket.SendAsync(Frame(WebSocketOpcode.Text, "{}"u8));
        WebSocketMessage info = await socket.ReceiveAsync();
        using var json = System.Text.Json.JsonDocument.Parse(info.Payload);
        Assert.Equal("connection_info", json.RootElement.GetProperty("type").GetString());
        socket.Address = $"{json.RootElement.GetProperty("workspace").GetString()}/{json.RootElement.GetProperty("client_id").GetString()}";
        return socket;
    }

    /// <summary>A client frame: masked with a fixed key unless <paramref name="masked"/> is false.</summary>
    public static byte[] Frame(WebSocketOpcode opcode, ReadOnlySpan<byte> payload, bool fin = true, bool masked = true)
    {
        var output = new ArrayBufferWriter<byte>();
        WebSocketFrameHeader.WriteFrame(output, opcode, payload, fin, masked ? 0x5a17c3e9u : null);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>Writes raw bytes.</summary>
    public async Task SendAsync(byte[] bytes) => await _stream.WriteAsync(bytes);

    /// <summary>The server's next message or control frame; its payload is copied, so it stays valid.</summary>
    public async Task<WebSocketMessage> ReceiveAsync()
    {
        using var timeout = new CancellationTokenSource(TestTimeouts.Receive);
        byte[] chunk = new byte[64 * 1024];
        while (true)
        {
            var sequence = new ReadOnlySequence<byte>(_pending);
            if (_reader.TryRead(ref sequence, out WebSocketMessage message))
            {
                _pending = sequence.ToArray();
                return message with { Payload = message.Payload.ToArray() };
            }

            _pending = sequence.ToArray();
            int read = await _stream.ReadAsync(chunk, timeout.Token);
            if (read == 0)
            {
                throw new EndOfStreamException("The server ended the connection.");
            }

            _pending = [.. _pending, .. chunk.AsSpan(0, read)];
        }
    }

    /// <summary>Expects the error text frame and then the close, and returns the close's code and the error message.</summary>
    public async Task<(int Code, string Error)> ExpectErrorAndCloseAsync()
    {
        WebSocketMessage error = await ReceiveAsync();
        Assert.Equal(WebSocketOpcode.Text, error.Type);
        string text = Encoding.UTF8.GetString(error.Payload.Span);
        Assert.Contains("\"type\":\"error\"", text, StringComparison.Ordinal);
        WebSocketMessage close = await ReceiveAsync();
        Assert.Equal(WebSocketOpcode.Close, close.Type);
        return (close.CloseCode, text);
    }

    /// <summary>Waits until the server ends the connection, discarding whatever it still sends.</summary>
    public async Task ExpectEndAsync(TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        byte[] chunk = new byte[4096];
        try
        {
            while (await _stream.ReadAsync(chunk, timeout.Token) > 0)
            {
            }
        }
        catch (IOException)
        {
            // Reset by the server: ended as well.
        }
    }

    /// <summary>Stops sending (a FIN), as a client that has said all it will.</summary>
    public void EndSending() => _tcp.Client.Shutdown(SocketShutdown.Send);

    public ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _tcp.Dispose();
        return ValueTask.CompletedTask;
    }
}
