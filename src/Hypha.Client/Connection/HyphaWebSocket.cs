using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Hypha.Protocol.Native;
using Hypha.Protocol.Buffers;
using Hypha.Protocol.Messages;
using Hypha.Protocol.Schemas;

namespace Hypha.Client.Connection;

/// <summary>
/// One WebSocket to a hypha server after a completed handshake: binary frames carry RPC messages, text frames
/// carry the JSON control messages (ping, token refresh, errors). A WebSocket takes one writer at a time: a frame
/// is written at once when the socket is free and nothing waits, otherwise it is queued (bounded, so a slow
/// server slows its senders down) and one writer loop drains the queue, in order.
/// </summary>
internal sealed partial class HyphaWebSocket : IServerConnection
{
    private readonly ClientWebSocket _socket;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly Channel<Outbound> _queue = Channel.CreateBounded<Outbound>(
        new BoundedChannelOptions(1024) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly Task _writer;
    private readonly int _maxMessageBytes;
    private int _queued;

    private HyphaWebSocket(ClientWebSocket socket, ConnectionInfo info, int maxMessageBytes)
    {
        _socket = socket;
        Info = info;
        _maxMessageBytes = maxMessageBytes;
        _writer = WriteQueuedAsync();
    }

    public ConnectionInfo Info { get; }

    public bool NeedsKeepAlive => true;

    public bool IsOpen => _socket.State == WebSocketState.Open;

    /// <summary>Opens the socket, sends the auth payload and waits for <c>connection_info</c>.</summary>
    /// <exception cref="HyphaConnectionException">The server refused the client, or the handshake failed.</exception>
    public static async Task<HyphaWebSocket> ConnectAsync(Uri uri, IReadOnlyDictionary<string, string?> auth, string clientId,
        int maxMessageBytes, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await socket.ConnectAsync(uri, deadline.Token).ConfigureAwait(false);
            byte[] payload = JsonSerializer.SerializeToUtf8Bytes(auth);
            await socket.SendAsync(payload, WebSocketMessageType.Text, endOfMessage: true, deadline.Token).ConfigureAwait(false);
            while (true)
            {
                (WebSocketMessageType type, byte[] message) = await ReceiveMessageAsync(socket, 1 << 20, deadline.Token).ConfigureAwait(false);
                if (type == WebSocketMessageType.Close)
                {
                    throw new HyphaConnectionException(
                        $"ConnectionAbortedError: the server closed the connection during the handshake ({socket.CloseStatus}: {socket.CloseStatusDescription})");
                }

                if (type != WebSocketMessageType.Text)
                {
                    continue; // the hypha clients skip binary frames that arrive before connection_info
                }

                using JsonDocument json = JsonDocument.Parse(message);
                string? kind = json.RootElement.TryGetProperty("type", out JsonElement t) ? t.GetString() : null;
                if (kind == "error")
                {
                    string reason = json.RootElement.TryGetProperty("message", out JsonElement m) ? m.GetString() ?? "" : "";
                    throw new HyphaConnectionException($"ConnectionAbortedError: {reason}");
                }

                if (kind == "connection_info")
                {
                    return new HyphaWebSocket(socket, ConnectionInfo.Parse(json.RootElement, clientId), maxMessageBytes);
                }
            }
        }
        catch (Exception ex) when (ex is not HyphaConnectionException)
        {
            socket.Dispose();
            throw new HyphaConnectionException($"Could not connect to {uri}: {ex.Message}", ex);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public async ValueTask SendAsync(RpcMethodV4 message, NativeChannel channel, CancellationToken cancellationToken)
    {
        using var frame = new PooledBufferWriter(256 + (message.Args?.Bytes.Length ?? 0));
        RpcMessages.WriteFrame(frame, message);
        await SendAsync(frame.WrittenMemory, WebSocketMessageType.Binary, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>hypha's WebSocket protocol has no such message: the close itself tells the server.</summary>
    public void AnnounceClosing()
    {
    }

    public ValueTask SendTextAsync(string json, CancellationToken cancellationToken) =>
        SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, cancellationToken);

    /// <summary>Delivers messages until the socket closes; returns a description of why it closed.</summary>
    public async Task<string> ReceiveAsync(Func<ReceivedMessage, ValueTask> onMessage, Action<JsonElement> onText, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                (WebSocketMessageType type, byte[] message) = await ReceiveMessageAsync(_socket, _maxMessageBytes, cancellationToken).ConfigureAwait(false);
                switch (type)
                {
                    case WebSocketMessageType.Close:
                        string reason = $"closed by the server ({_socket.CloseStatus}: {_socket.CloseStatusDescription})";
                        await AcknowledgeCloseAsync().ConfigureAwait(false);
                        return reason;
                    case WebSocketMessageType.Binary:
                        await onMessage(new ReceivedMessage(message, null, null)).ConfigureAwait(false);
                        break;
                    default:
                        try
                        {
                            using JsonDocument json = JsonDocument.Parse(message);
                            onText(json.RootElement);
                        }
                        catch (JsonException)
                        {
                            // Text the client does not understand is ignored, as the hypha clients do.
                        }

                        break;
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or InvalidDataException)
        {
            return $"lost ({ex.Message})";
        }
    }

    // Answers the server's close at once: until it is answered, a stopping server waits for it.
    private async Task AcknowledgeCloseAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "closing", timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The server is gone already.
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        try
        {
            if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "client disconnecting", timeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            // The socket is going away either way.
        }
        finally
        {
            _socket.Dispose();
            await _writer.ConfigureAwait(false);
        }
    }

    // One whole message, however many fragments it arrives in, refused past the size limit.
    private static async Task<(WebSocketMessageType Type, byte[] Message)> ReceiveMessageAsync(ClientWebSocket socket, int maxBytes, CancellationToken cancellationToken)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        int count = 0;
        try
        {
            while (true)
            {
                if (count == buffer.Length)
                {
                    if (buffer.Length >= maxBytes)
                    {
                        throw new InvalidDataException($"A message exceeds the limit of {maxBytes} bytes.");
                    }

                    byte[] larger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, maxBytes));
                    buffer.AsSpan(0, count).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                ValueWebSocketReceiveResult result = await socket.ReceiveAsync(buffer.AsMemory(count), cancellationToken).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return (WebSocketMessageType.Close, []);
                }

                count += result.Count;
                if (result.EndOfMessage)
                {
                    return (result.MessageType, buffer.AsSpan(0, count).ToArray());
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
