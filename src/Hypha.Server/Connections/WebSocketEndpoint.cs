using Microsoft.AspNetCore.Http;

namespace Hypha.Server.Connections;

/// <summary>
/// The server's only HTTP endpoint: <c>/ws</c>, upgraded to a WebSocket. Every other path is 404; a plain request
/// to <c>/ws</c> is 400. Requests that arrive while the server is still starting wait until it is ready.
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

        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync("Expected a WebSocket upgrade.", context.RequestAborted).ConfigureAwait(false);
            return;
        }

        // A stopping server refuses the upgrade itself: a client sees a failed attempt and retries later, whereas a
        // socket closed during the handshake makes the JavaScript client give up reconnecting for good.
        if (await WaitUntilReadyAsync().ConfigureAwait(false) is not { } sessions)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }

        using System.Net.WebSockets.WebSocket socket = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        await sessions.RunAsync(socket, context.Request.Query).ConfigureAwait(false);
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
