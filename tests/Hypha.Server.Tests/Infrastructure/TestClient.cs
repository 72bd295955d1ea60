using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Hypha.Server.Tests.Infrastructure;

/// <summary>A raw WebSocket client speaking the hypha handshake by hand, as the hypha-rpc clients do.</summary>
internal sealed class TestClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();

    private TestClient()
    {
    }

    public WebSocketState State => _socket.State;

    public JsonElement ConnectionInfo { get; private set; }

    public string Workspace => ConnectionInfo.GetProperty("workspace").GetString()!;

    public string ClientId => ConnectionInfo.GetProperty("client_id").GetString()!;

    public string Address => $"{Workspace}/{ClientId}";

    /// <summary>Opens the socket without authenticating.</summary>
    public static async Task<TestClient> ConnectAsync(HyphaServer server, string query = "")
    {
        var client = new TestClient();
        using var timeout = new CancellationTokenSource(TestTimeouts.Receive);
        await client._socket.ConnectAsync(new Uri(server.WebSocketUrl + query), timeout.Token);
        return client;
    }

    /// <summary>Connects and completes the handshake with the given auth fields (null values are sent as null).</summary>
    public static async Task<TestClient> JoinAsync(
        HyphaServer server, string? clientId = null, string? workspace = null, string? token = null, string? reconnectionToken = null)
    {
        TestClient client = await ConnectAsync(server);
        try
        {
            await client.SendTextAsync(JsonSerializer.Serialize(new Dictionary<string, string?>
            {
                ["client_id"] = clientId,
                ["workspace"] = workspace,
                ["token"] = token,
                ["reconnection_token"] = reconnectionToken,
            }));
            await client.ExpectConnectionInfoAsync();
            return client;
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    public async Task<JsonElement> ExpectConnectionInfoAsync()
    {
        Received received = await ReceiveAsync();
        JsonElement info = received.Json();
        Assert.Equal("connection_info", info.GetProperty("type").GetString());
        ConnectionInfo = info;
        return info;
    }

    public Task SendTextAsync(string text) => SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text);

    public Task SendBinaryAsync(ReadOnlyMemory<byte> bytes) => SendAsync(bytes, WebSocketMessageType.Binary);

    public async Task SendAsync(ReadOnlyMemory<byte> bytes, WebSocketMessageType type)
    {
        using var timeout = new CancellationTokenSource(TestTimeouts.Receive);
        await _socket.SendAsync(bytes, type, endOfMessage: true, timeout.Token);
    }

    public async Task<Received> ReceiveAsync()
    {
        using var timeout = new CancellationTokenSource(TestTimeouts.Receive);
        var buffer = new ArrayBufferWriter<byte>();
        while (true)
        {
            ValueWebSocketReceiveResult result = await _socket.ReceiveAsync(buffer.GetMemory(64 * 1024), timeout.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                // Answer the close, as browsers, ws and Python's websockets do, so the server need not wait for it.
                try
                {
                    await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
                }
                catch (WebSocketException)
                {
                    // The server gave up waiting and dropped the connection; the close it sent is what counts.
                }

                return new Received(WebSocketMessageType.Close, [], _socket.CloseStatus, _socket.CloseStatusDescription);
            }

            buffer.Advance(result.Count);
            if (result.EndOfMessage)
            {
                return new Received(result.MessageType, buffer.WrittenSpan.ToArray(), null, null);
            }
        }
    }

    public async Task<Received> ExpectBinaryAsync()
    {
        Received received = await ReceiveAsync();
        Assert.True(received.Type == WebSocketMessageType.Binary, $"expected a binary frame, got {received}");
        return received;
    }

    /// <summary>Expects the server's error frame and then its close, and returns both.</summary>
    public async Task<(string Error, Received Close)> ExpectErrorAndCloseAsync()
    {
        Received error = await ReceiveAsync();
        JsonElement json = error.Json();
        Assert.Equal("error", json.GetProperty("type").GetString());
        Received close = await ReceiveAsync();
        Assert.Equal(WebSocketMessageType.Close, close.Type);
        return (json.GetProperty("message").GetString()!, close);
    }

    /// <summary>Expects the close as the next message (a 1001 close comes without an error frame).</summary>
    public async Task<Received> ExpectCloseAsync()
    {
        Received close = await ReceiveAsync();
        Assert.True(close.Type == WebSocketMessageType.Close, $"expected the close, got {close}");
        return close;
    }

    /// <summary>
    /// Sends a text ping and expects the pong as the very next message: proof that nothing else was queued for this
    /// client before it, and that everything this client sent earlier has been routed.
    /// </summary>
    public async Task RoundTripAsync()
    {
        await SendTextAsync("""{"type":"ping"}""");
        Received received = await ReceiveAsync();
        Assert.True(received.Type == WebSocketMessageType.Text, $"expected the pong, got {received}");
        Assert.Equal("pong", received.Json().GetProperty("type").GetString());
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            try
            {
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "test done", timeout.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
                // The server may be gone already.
            }
        }

        _socket.Abort();
        _socket.Dispose();
    }
}
