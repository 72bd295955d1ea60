using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using Hypha.Protocol.Buffers;
using Hypha.Protocol.Messages;
using Hypha.Protocol.Native;
using Hypha.Protocol.Schemas;
using Hypha.Protocol.WebSocketFrames;
using Hypha.Transport.WebSockets;

namespace Hypha.Client.Connection;

/// <summary>
/// One WebSocket to a hypha server after a completed handshake, framed by hand (RFC 6455) over a socket of its own:
/// binary frames carry RPC messages, text frames carry the JSON control messages (ping, token refresh, errors).
/// Every whole message a receive brought in is delivered before the next receive, and frames sent meanwhile leave
/// together in one write (<c>Send</c>), so a burst of calls and answers costs one system call each way.
/// </summary>
internal sealed partial class HyphaWebSocket : IServerConnection
{
    // How long the close handshake may take when this side closes, and when it answers the server's close.
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(2);

    private readonly Stream _stream;
    private readonly PipeReader _pipe;
    private readonly WebSocketInput _input;
    private readonly Task _writer;
    private ConnectionInfo? _info;

    private HyphaWebSocket(Stream stream, PipeReader input, int maxMessageBytes)
    {
        _stream = stream;
        _pipe = input;
        _input = new WebSocketInput(input, maxMessageBytes, expectMasked: false);
        _writer = WriteLoopAsync();
    }

    public ConnectionInfo Info => _info ?? throw new InvalidOperationException("The handshake has not completed.");

    public bool NeedsKeepAlive => true;

    /// <summary>Opens the socket, sends the auth payload and waits for <c>connection_info</c>.</summary>
    /// <exception cref="HyphaConnectionException">The server refused the client, or the handshake failed.</exception>
    public static async Task<HyphaWebSocket> ConnectAsync(Uri uri, IReadOnlyDictionary<string, string?> auth, string clientId,
        int maxMessageBytes, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        HyphaWebSocket? socket = null;
        try
        {
            (Stream stream, PipeReader input) = await WebSocketClientHandshake.ConnectAsync(uri, deadline.Token).ConfigureAwait(false);
            socket = new HyphaWebSocket(stream, input, maxMessageBytes);
            await socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(auth), WebSocketOpcode.Text, deadline.Token).ConfigureAwait(false);
            socket._info = await socket.ReadConnectionInfoAsync(clientId, deadline.Token).ConfigureAwait(false);
            return socket;
        }
        catch (Exception ex)
        {
            if (socket is not null)
            {
                await socket.DisposeAsync().ConfigureAwait(false);
            }

            throw ex is HyphaConnectionException ? ex : new HyphaConnectionException($"Could not connect to {uri}: {ex.Message}", ex);
        }
    }

    public async ValueTask SendAsync(RpcMethodV4 message, NativeChannel channel, CancellationToken cancellationToken)
    {
        PooledBufferWriter frame = PooledBufferWriter.TakeSpare(256 + (message.Args?.Bytes.Length ?? 0));
        try
        {
            RpcMessages.WriteFrame(frame, message);
            await SendAsync(frame.WrittenMemory, WebSocketOpcode.Binary, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            frame.GiveBack();
        }
    }

    /// <summary>hypha's WebSocket protocol has no such message: the close itself tells the server.</summary>
    public void AnnounceClosing()
    {
    }

    public ValueTask SendTextAsync(string json, CancellationToken cancellationToken) =>
        SendAsync(Encoding.UTF8.GetBytes(json), WebSocketOpcode.Text, cancellationToken);

    /// <summary>Delivers messages until the socket closes; returns a description of why it closed.</summary>
    /// <remarks>
    /// Each binary message is handed over lent, in the receive buffer: <paramref name="onMessage"/> copies out what it
    /// keeps before its task completes.
    /// </remarks>
    public async Task<string> ReceiveAsync(Func<ReceivedMessage, ValueTask> onMessage, Action<JsonElement> onText, CancellationToken cancellationToken)
    {
        string? closed = null;
        try
        {
            await ReadMessagesAsync(
                async message =>
                {
                    switch (message.Type)
                    {
                        case WebSocketOpcode.Binary:
                            await onMessage(new ReceivedMessage(message.Payload, null, null, Lent: true)).ConfigureAwait(false);
                            return true;
                        case WebSocketOpcode.Text:
                            DeliverText(message.Payload.Span, onText);
                            return true;
                        default:
                            closed = $"closed by the server ({message.CloseCode}: {message.CloseReason})";
                            return false;
                    }
                },
                cancellationToken).ConfigureAwait(false);
            return closed ?? "lost (the server ended the connection without a close)";
        }
        catch (WebSocketProtocolException ex)
        {
            SendClose(ex.CloseCode, ex.Message);
            return $"lost ({ex.Message})";
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException)
        {
            return $"lost ({ex.Message})";
        }
    }

    public async ValueTask DisposeAsync()
    {
        // The close goes out after every frame already sent: this side's own (1000), or the echo of the server's if
        // that came first. The server's answer to ours is not awaited: the receive loop has stopped reading by now,
        // and the server takes a close followed by the end of the connection as a complete close.
        SendClose(WebSocketCloseCodes.Normal, "client disconnecting");
        await Task.WhenAny(_writer, Task.Delay(CloseTimeout)).ConfigureAwait(false);
        CloseSending();
        await _stream.DisposeAsync().ConfigureAwait(false);
        await _writer.ConfigureAwait(false);
        await _pipe.CompleteAsync().ConfigureAwait(false);
        _input.Dispose();
        _pending.Dispose();
        _spare.Dispose();
    }

    // Text the client does not understand is ignored, as the hypha clients do.
    private static void DeliverText(ReadOnlySpan<byte> utf8, Action<JsonElement> onText)
    {
        try
        {
            var reader = new Utf8JsonReader(utf8);
            using JsonDocument json = JsonDocument.ParseValue(ref reader);
            onText(json.RootElement);
        }
        catch (JsonException)
        {
        }
    }

    // The answer to the auth payload: connection_info, or an error the server closes with. Binary frames before it
    // are skipped, as the hypha clients do.
    private async Task<ConnectionInfo> ReadConnectionInfoAsync(string clientId, CancellationToken cancellationToken)
    {
        ConnectionInfo? info = null;
        string? refusal = null;
        await ReadMessagesAsync(
            message =>
            {
                if (message.Type == WebSocketOpcode.Close)
                {
                    refusal ??= $"the server closed the connection during the handshake ({message.CloseCode}: {message.CloseReason})";
                    return ValueTask.FromResult(false);
                }

                if (message.Type != WebSocketOpcode.Text)
                {
                    return ValueTask.FromResult(true);
                }

                var reader = new Utf8JsonReader(message.Payload.Span);
                using JsonDocument json = JsonDocument.ParseValue(ref reader);
                string? kind = json.RootElement.TryGetProperty("type", out JsonElement type) ? type.GetString() : null;
                if (kind == "error")
                {
                    refusal = json.RootElement.TryGetProperty("message", out JsonElement m) ? m.GetString() ?? "" : "";
                    return ValueTask.FromResult(true); // the close follows; answer it before giving up
                }

                if (kind == "connection_info")
                {
                    info = ConnectionInfo.Parse(json.RootElement, clientId);
                    return ValueTask.FromResult(false);
                }

                return ValueTask.FromResult(true);
            },
            cancellationToken).ConfigureAwait(false);
        return info ?? throw new HyphaConnectionException($"ConnectionAbortedError: {refusal ?? "the server ended the connection during the handshake"}");
    }

    // Reads messages and hands each text, binary and close message to handle until it returns false or the
    // connection ends; every whole message a receive brought in is handled before the next receive. A ping is
    // answered, a close is answered before it is handed over.
    private async Task ReadMessagesAsync(Func<WebSocketMessage, ValueTask<bool>> handle, CancellationToken cancellationToken)
    {
        async ValueTask<bool> Dispatch(WebSocketMessage message)
        {
            switch (message.Type)
            {
                case WebSocketOpcode.Ping:
                    SendPong(message.Payload.Span);
                    return true;
                case WebSocketOpcode.Pong:
                    return true;
                case WebSocketOpcode.Close:
                    SendClose(message.CloseCode, string.Empty);
                    await handle(message).ConfigureAwait(false);
                    return false;
                default:
                    return await handle(message).ConfigureAwait(false);
            }
        }

        await _input.ReadAsync(Dispatch, cancellationToken).ConfigureAwait(false);
    }
}
