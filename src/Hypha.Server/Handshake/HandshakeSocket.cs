using Hypha.Protocol.WebSocketFrames;
using Hypha.Server.Connections;

namespace Hypha.Server.Handshake;

/// <summary>
/// A new WebSocket during the handshake: reads the authentication frame within the deadline, and refuses the
/// connection with an error frame and a close code. Reading from the pipe can be cancelled without harm, so a
/// deadline that passes leaves the socket able to say why it is being closed.
/// </summary>
internal sealed class HandshakeSocket
{
    // The authentication JSON holds two ids and two tokens; anything this large is not one.
    private const int MaxAuthBytes = 64 * 1024;

    private readonly WebSocketTransport _transport;
    private bool _unreadable;

    /// <summary>Wraps a transport that was just accepted.</summary>
    public HandshakeSocket(WebSocketTransport transport)
    {
        _transport = transport;
    }

    /// <summary>
    /// Reads the first message, which must be a JSON text frame, or returns null when the client closed first.
    /// </summary>
    /// <exception cref="HandshakeRejectedException">
    /// Timeout (1008), server stopping (1001), binary or oversized message (1003, 1009), broken framing (1002, 1007).
    /// </exception>
    public async Task<byte[]?> ReadAuthFrameAsync(TimeSpan timeout, CancellationToken stopping)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        deadline.CancelAfter(timeout);
        byte[]? auth = null;
        bool binary = false;
        int frameLimit = _transport.MaxMessageBytes;
        _transport.MaxMessageBytes = MaxAuthBytes;
        try
        {
            await _transport.ReadMessagesAsync(
                message =>
                {
                    binary = message.Type == WebSocketOpcode.Binary;
                    if (message.Type == WebSocketOpcode.Text)
                    {
                        auth = message.Payload.ToArray();
                    }

                    return ValueTask.FromResult(false);
                },
                deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            throw new HandshakeRejectedException(CloseCodes.GoingAway, "Server is shutting down");
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            throw new HandshakeRejectedException(CloseCodes.PolicyViolation, "Authentication payload timeout");
        }
        catch (WebSocketProtocolException ex)
        {
            _unreadable = true;
            throw ex.CloseCode == CloseCodes.MessageTooBig
                ? new HandshakeRejectedException(CloseCodes.MessageTooBig, "Authentication payload too large")
                : new HandshakeRejectedException(ex.CloseCode, ex.Message);
        }
        finally
        {
            _transport.MaxMessageBytes = frameLimit;
        }

        if (binary)
        {
            throw new HandshakeRejectedException(
                CloseCodes.UnsupportedData, "Invalid authentication payload: the first message must be a JSON text frame");
        }

        return auth;
    }

    /// <summary>
    /// Refuses the connection: <c>{"type":"error","message":...}</c> (not for 1001, which only says the server is
    /// going away), the close frame, then waits (within <paramref name="closeTimeout"/>) for the client's close so
    /// that it reads both. The connection is aborted if the client does not finish the close handshake in time.
    /// </summary>
    public async Task RejectAsync(int code, string message, TimeSpan closeTimeout)
    {
        using var deadline = new CancellationTokenSource(closeTimeout);
        using CancellationTokenRegistration abort = deadline.Token.Register(_transport.Abort);
        try
        {
            await _transport.SendCloseAsync(code, CloseReasons.Fit(message), code == CloseCodes.GoingAway ? null : ServerTextMessages.Error(message))
                .ConfigureAwait(false);
            if (_unreadable)
            {
                await _transport.DrainAsync().ConfigureAwait(false);
            }
            else
            {
                await _transport.ReadMessagesAsync(static message => ValueTask.FromResult(message.Type != WebSocketOpcode.Close)).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or WebSocketProtocolException)
        {
            // The client vanished, broke the framing or did not answer the close in time: nothing more can be said to it.
        }
    }

    /// <summary>Completes the close handshake the client started before authenticating: its code is echoed.</summary>
    public async Task AnswerCloseAsync(TimeSpan closeTimeout)
    {
        using var deadline = new CancellationTokenSource(closeTimeout);
        using CancellationTokenRegistration abort = deadline.Token.Register(_transport.Abort);
        try
        {
            if (_transport.PeerClose is { } close)
            {
                await _transport.SendCloseAsync(close.Code, close.Reason, errorText: null).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException)
        {
            // The client is gone already.
        }
    }
}
