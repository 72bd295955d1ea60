using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Hypha.Protocol.WebSocketFrames;

namespace Hypha.Client.Tests.Connection;

/// <summary>
/// One scripted WebSocket server connection over a plain socket: it answers the upgrade as told, then writes frames
/// byte for byte and reads the client's (which must be masked).
/// </summary>
internal sealed class FakeWebSocketServer : IAsyncDisposable
{
    public const string ConnectionInfo =
        """{"type":"connection_info","workspace":"ws-1","manager_id":"manager","client_id":"c1","public_base_url":"http://127.0.0.1"}""";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly WebSocketMessageReader _reader = new(1 << 20, expectMasked: true);
    private TcpClient? _client;
    private NetworkStream? _stream;
    private byte[] _pending = [];

    public FakeWebSocketServer()
    {
        _listener.Start();
    }

    public Uri Uri => new($"ws://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/ws");

    /// <summary>The client's upgrade request.</summary>
    public string Request { get; private set; } = "";

    /// <summary>Accepts the connection and answers its upgrade with <paramref name="answer"/>, given the request's key.</summary>
    public async Task AcceptAsync(Func<string, string> answer)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        _client = await _listener.AcceptTcpClientAsync(timeout.Token);
        _stream = _client.GetStream();
        var head = new List<byte>();
        byte[] one = new byte[1];
        while (head.Count < 4 || !head.TakeLast(4).SequenceEqual("\r\n\r\n"u8.ToArray()))
        {
            Assert.Equal(1, await _stream.ReadAsync(one, timeout.Token));
            head.Add(one[0]);
        }

        Request = Encoding.ASCII.GetString(head.ToArray());
        string key = Request.Split("\r\n").Single(line => line.StartsWith("Sec-WebSocket-Key:", StringComparison.Ordinal))[18..].Trim();
        await _stream.WriteAsync(Encoding.ASCII.GetBytes(answer(key)));
    }

    /// <summary>The answer a real server gives.</summary>
    public static string Upgrade(string key, string extraHeaders = "") =>
        $"HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Accept: {WebSocketHandshake.ComputeAccept(key)}\r\n{extraHeaders}\r\n";

    /// <summary>Accepts, upgrades, takes the authentication message and answers it with connection_info.</summary>
    public async Task AcceptAndAuthenticateAsync()
    {
        await AcceptAsync(key => Upgrade(key));
        WebSocketMessage auth = await ReceiveAsync();
        Assert.Equal(WebSocketOpcode.Text, auth.Type);
        await SendAsync(WebSocketOpcode.Text, Encoding.UTF8.GetBytes(ConnectionInfo));
    }

    /// <summary>A server frame, unmasked unless a key is given.</summary>
    public static byte[] Frame(WebSocketOpcode opcode, ReadOnlySpan<byte> payload, bool fin = true, uint? maskKey = null)
    {
        var output = new ArrayBufferWriter<byte>();
        WebSocketFrameHeader.WriteFrame(output, opcode, payload, fin, maskKey);
        return output.WrittenSpan.ToArray();
    }

    public Task SendAsync(WebSocketOpcode opcode, ReadOnlySpan<byte> payload) => SendRawAsync(Frame(opcode, payload));

    public async Task SendRawAsync(byte[] bytes) => await _stream!.WriteAsync(bytes);

    /// <summary>The client's next message or control frame (checked to be masked); its payload is a copy.</summary>
    public async Task<WebSocketMessage> ReceiveAsync()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        byte[] chunk = new byte[64 * 1024];
        while (true)
        {
            var sequence = new ReadOnlySequence<byte>(_pending);
            bool read = _reader.TryRead(ref sequence, out WebSocketMessage message);
            _pending = sequence.ToArray();
            if (read)
            {
                return message with { Payload = message.Payload.ToArray() };
            }

            int count = await _stream!.ReadAsync(chunk, timeout.Token);
            if (count == 0)
            {
                throw new EndOfStreamException("The client ended the connection.");
            }

            _pending = [.. _pending, .. chunk.AsSpan(0, count)];
        }
    }

    public ValueTask DisposeAsync()
    {
        _client?.Dispose();
        _listener.Stop();
        _reader.Dispose();
        return ValueTask.CompletedTask;
    }
}
