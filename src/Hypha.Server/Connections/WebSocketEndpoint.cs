using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;

namespace Hypha.Server.Connections;

/// <summary>
/// The server's only HTTP endpoint: <c>/ws</c>, upgraded to a WebSocket that the server frames itself over the
/// connection's pipes (<see cref="WebSocketUpgrade"/>, <see cref="WebSocketTransport"/>). Every other path is 404; a
/// request to <c>/ws</c> that is not a WebSocket upgrade is 400 (426 for another protocol version). Requests that
/// arrive while the server is still starting wait until it is ready.
/// </summary>
internal sealed class WebSocketEndpoint
{
    /// <summary>The endpoint's path, as the hypha clients append it to the server URL.</summary>
    public const string Path = "/ws";

    private readonly TaskCompletionSource<WebSocketSession> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationToken _stopping;

    /// <summary>Creates the endpoint; it serves once <see cref="Open"/> is called.</summary>
    public WebSocketEndpoint(CancellationToken stopping)
    {
        _stopping = stopping;
    }

    /// <summary>Starts serving connections with <paramref name="sessions"/>.</summary>
    public void Open(WebSocketSession sessions) => _ready.TrySetResult(sessions);

    /// <summary>Handles one HTTP request.</summary>
    public async Task HandleAsync(HttpContext context)
    {
        if (context.Request.Path != Path)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        if (WebSocketUpgrade.Check(context) is { } refusal)
        {
            await WebSocketUpgrade.RefuseAsync(context, refusal).ConfigureAwait(false);
            return;
        }

        // A stopping server refuses the upgrade itself: a client sees a failed attempt and retries later, whereas a
        // socket closed during the handshake makes the JavaScript client give up reconnecting for good.
        if (await WaitUntilReadyAsync().ConfigureAwait(false) is not { } sessions)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }

        IDuplexPipe pipe = await WebSocketUpgrade.AcceptAsync(context).ConfigureAwait(false);
        await sessions.RunAsync(pipe, context.Abort, context.Request.Query).ConfigureAwait(false);
    }

    // The session runner once the server is ready, or null when it is stopping.
    private async Task<WebSocketSession?> WaitUntilReadyAsync()
    {
        try
        {
            WebSocketSession sessions = await _ready.Task.WaitAsync(_stopping).ConfigureAwait(false);
            return _stopping.IsCancellationRequested ? null : sessions;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }
}
