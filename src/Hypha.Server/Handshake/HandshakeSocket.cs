using System.Net.WebSockets;
using Hypha.Server.Connections;

namespace Hypha.Server.Handshake;

/// <summary>
/// A new socket during the handshake: reads the authentication frame within the deadline, and refuses the
/// connection with an error frame and a close code. A WebSocket receive cannot be cancelled without aborting the
/// socket (and losing the chance to say why), so the deadline races the receive instead of cancelling it.
/// </summary>
internal sealed class HandshakeSocket
{
    // The authentication JSON holds two ids and two tokens; anything this large is not one.
    private const int MaxAuthBytes = 64 * 1024;

    private readonly WebSocket _socket;
    private Task<ValueWebSocketReceiveResult>? _pendingReceive;

    /// <summary>Wraps a socket that was just accepted.</summary>
    public HandshakeSocket(WebSocket socket)
    {
        _socket = socket;
    }

    /// <summary>
    /// Reads the first message, which must be a JSON text frame, or returns null when the client closed first.
    /// </summary>
    /// <exception cref="HandshakeRejectedException">Timeout (1008), server stopping (1001), binary or oversized message (1003, 1009).</exception>
    public async Task<byte[]?> ReadAuthFrameAsync(TimeSpan timeout, CancellationToken stopping)
    {
        byte[] buffer = new byte[4096];
        int length = 0;
        long deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        while (true)
        {
            if (length == buffer.Length)
            {
                if (buffer.Length >= MaxAuthBytes)
                {
                    throw new HandshakeRejectedException(CloseCodes.MessageTooBig, "Authentication payload too large");
                }

                Array.Resize(ref buffer, buffer.Length * 2);
            }

            _pendingReceive = _socket.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None).AsTask();
            ValueWebSocketReceiveResult result;
            try
            {
                TimeSpan remaining = TimeSpan.FromMilliseconds(Math.Max(0, deadline - Environment.TickCount64));
                result = await _pendingReceive.WaitAsync(remaining, stopping).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                throw new HandshakeRejectedException(CloseCodes.PolicyViolation, "Authentication payload timeout");
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                throw new HandshakeRejectedException(CloseCodes.GoingAway, "Server is shutting down");
            }

            _pendingReceive = null;
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            length += result.Count;
            if (result.EndOfMessage)
            {
                return result.MessageType == WebSocketMessageType.Text
                    ? buffer[..length]
                    : throw new HandshakeRejectedException(
                        CloseCodes.UnsupportedData, "Invalid authentication payload: the first message must be a JSON text frame");
            }
        }
    }

    /// <summary>
    /// Refuses the connection: <c>{"type":"error","message":...}</c> (not for 1001, which only says the server is
    /// going away), the close frame, then waits (within <paramref name="closeTimeout"/>) for the client's close so
    /// that it reads both. The socket is aborted if the client does not finish the close handshake in time.
    /// </summary>
    public async Task RejectAsync(int code, string message, TimeSpan closeTimeout)
    {
        using var deadline = new CancellationTokenSource(closeTimeout);
        try
        {
            if (code != CloseCodes.GoingAway && _socket.State == WebSocketState.Open)
            {
                await _socket.SendAsync(ServerTextMessages.Error(message), WebSocketMessageType.Text, true, deadline.Token).ConfigureAwait(false);
            }

            if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await _socket.CloseOutputAsync((WebSocketCloseStatus)code, CloseReasons.Fit(message), deadline.Token).ConfigureAwait(false);
            }

            await AwaitClientCloseAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or TimeoutException or ObjectDisposedException)
        {
            // The client vanished or did not answer the close in time: nothing more can be said to it.
        }
        finally
        {
            if (_socket.State != WebSocketState.Closed)
            {
                _socket.Abort();
            }

            // A receive still pending fails once the socket is aborted; observe it so it is not reported as unobserved.
            _ = _pendingReceive?.ContinueWith(static task => _ = task.Exception, TaskScheduler.Default);
        }
    }

    /// <summary>Completes the close handshake the client started before authenticating.</summary>
    public async Task AnswerCloseAsync(TimeSpan closeTimeout)
    {
        using var deadline = new CancellationTokenSource(closeTimeout);
        try
        {
            if (_socket.State == WebSocketState.CloseReceived)
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, string.Empty, deadline.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client is gone already.
        }
    }

    private async Task AwaitClientCloseAsync(CancellationToken deadline)
    {
        if (_pendingReceive is not null)
        {
            ValueWebSocketReceiveResult pending = await _pendingReceive.WaitAsync(deadline).ConfigureAwait(false);
            _pendingReceive = null;
            if (pending.MessageType == WebSocketMessageType.Close)
            {
                return;
            }
        }

        byte[] scratch = new byte[1024];
        while (_socket.State == WebSocketState.CloseSent)
        {
            _pendingReceive = _socket.ReceiveAsync(scratch.AsMemory(), CancellationToken.None).AsTask();
            ValueWebSocketReceiveResult result = await _pendingReceive.WaitAsync(deadline).ConfigureAwait(false);
            _pendingReceive = null;
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return;
            }
        }
    }
}
