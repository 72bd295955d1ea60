using System.IO.Pipelines;
using Hypha.Transport.WebSockets;
using Microsoft.Extensions.Logging;

namespace Hypha.Server.Connections;

/// <summary>
/// The server's end of one WebSocket, framed by hand over the connection's pipes (RFC 6455): reading whole messages
/// in bursts (<c>Read</c>), writing frames that are flushed once per burst (<c>Write</c>), and protocol pings that
/// abort a peer which stops answering (<c>KeepAlive</c>). It lives from the 101 answer until the request ends and
/// serves the handshake first, then the <see cref="WebSocketClientConnection"/>.
/// </summary>
internal sealed partial class WebSocketTransport : IAsyncDisposable
{
    private readonly WebSocketInput _input;
    private readonly PipeWriter _output;
    private readonly Action _abortConnection;
    private readonly ILogger _logger;
    private int _aborted;

    /// <summary>Creates the transport over a connection that was just upgraded.</summary>
    /// <param name="pipe">The connection's pipes.</param>
    /// <param name="abortConnection">Tears the connection down (the HTTP context's abort).</param>
    /// <param name="options">The frame limit and the keep-alive settings.</param>
    /// <param name="logger">Where a keep-alive timeout is reported.</param>
    public WebSocketTransport(IDuplexPipe pipe, Action abortConnection, HyphaServerOptions options, ILogger logger)
    {
        _input = new WebSocketInput(pipe.Input, options.MaxFrameBytes, expectMasked: true);
        _output = pipe.Output;
        _abortConnection = abortConnection;
        _logger = logger;
        _keepAlive = KeepAliveAsync(options.KeepAliveInterval, options.KeepAliveTimeout);
    }

    /// <summary>True until the peer's close arrived, the connection ended, the server's close was sent, or the transport was aborted.</summary>
    public bool IsOpen => PeerClose is null && !_ended && !_closeSent && Volatile.Read(ref _aborted) == 0;

    /// <summary>The largest text or binary message accepted from now on, at most <see cref="HyphaServerOptions.MaxFrameBytes"/>.</summary>
    public int MaxMessageBytes
    {
        get => _input.MaxMessageBytes;
        set => _input.MaxMessageBytes = value;
    }

    /// <summary>
    /// Tears the connection down at once: pending reads and writes fail. Nothing once the transport is disposed: the
    /// connection it would abort has ended (a close deadline can fire on a timer thread just as the connection ends).
    /// </summary>
    public void Abort()
    {
        if (Interlocked.Exchange(ref _aborted, 1) == 0)
        {
            try
            {
                _abortConnection();
            }
            catch (ObjectDisposedException)
            {
                // The request ended between the check above and this call: there is nothing left to tear down, and a
                // timer callback that threw would end the process.
                return;
            }

            _input.CancelPendingRead();
            _output.CancelPendingFlush();
        }
    }

    /// <summary>Stops the keep-alive and returns the buffers. Call once nothing reads or writes any more.</summary>
    public async ValueTask DisposeAsync()
    {
        Interlocked.Exchange(ref _aborted, 1);
        await _keepAliveStop.CancelAsync().ConfigureAwait(false);
        await _keepAlive.ConfigureAwait(false);
        _keepAliveStop.Dispose();
        _input.Dispose();
        _writeGate.Dispose();
    }
}
