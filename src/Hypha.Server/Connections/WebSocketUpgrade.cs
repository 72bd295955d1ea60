using System.IO.Pipelines;
using Hypha.Protocol.WebSocketFrames;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;

namespace Hypha.Server.Connections;

/// <summary>
/// The server's side of the opening handshake (RFC 6455 §4.2) on Kestrel: the request's checks, the 101 answer with
/// <c>Sec-WebSocket-Accept</c>, and the connection's own pipes, which the frames are then read from and written to
/// directly (no stream in between). No subprotocol and no extension is ever agreed: offers of either, such as
/// permessage-deflate, are left unanswered, which the RFC defines as refusing them.
/// </summary>
internal static class WebSocketUpgrade
{
    /// <summary>Why a request cannot be upgraded, as the HTTP answer to give instead.</summary>
    /// <param name="StatusCode">400 for a request that is not a WebSocket upgrade, 426 for another protocol version.</param>
    /// <param name="Message">The plain-text body.</param>
    public readonly record struct Refusal(int StatusCode, string Message);

    /// <summary>Checks that <paramref name="context"/> is an upgrade this server can accept; null when it is.</summary>
    public static Refusal? Check(HttpContext context)
    {
        HttpRequest request = context.Request;
        if (!HttpMethods.IsGet(request.Method)
            || context.Features.Get<IHttpUpgradeFeature>() is not { IsUpgradableRequest: true }
            || !HasToken(request.Headers.Connection, "Upgrade")
            || !HasToken(request.Headers.Upgrade, "websocket")
            || !WebSocketHandshake.IsValidKey(request.Headers.SecWebSocketKey.ToString()))
        {
            return new Refusal(StatusCodes.Status400BadRequest, "Expected a WebSocket upgrade.");
        }

        if (request.Headers.SecWebSocketVersion.ToString() != WebSocketHandshake.Version)
        {
            return new Refusal(StatusCodes.Status426UpgradeRequired, $"Only WebSocket version {WebSocketHandshake.Version} is supported.");
        }

        return context.Features.Get<IConnectionTransportFeature>() is null
            ? new Refusal(StatusCodes.Status400BadRequest, "WebSockets are served over HTTP/1.1 connections only.")
            : null;
    }

    /// <summary>Answers a refused request.</summary>
    public static Task RefuseAsync(HttpContext context, Refusal refusal)
    {
        context.Response.StatusCode = refusal.StatusCode;
        if (refusal.StatusCode == StatusCodes.Status426UpgradeRequired)
        {
            context.Response.Headers.SecWebSocketVersion = WebSocketHandshake.Version;
        }

        return context.Response.WriteAsync(refusal.Message, context.RequestAborted);
    }

    /// <summary>
    /// Sends the 101 answer to a request that passed <see cref="Check"/> and returns the connection's pipes. From
    /// then on Kestrel leaves the connection to the caller until the request handler returns.
    /// </summary>
    public static async Task<IDuplexPipe> AcceptAsync(HttpContext context)
    {
        string key = context.Request.Headers.SecWebSocketKey.ToString();
        IHeaderDictionary headers = context.Response.Headers;
        headers.Connection = HeaderNames.Upgrade;
        headers.Upgrade = "websocket";
        headers.SecWebSocketAccept = WebSocketHandshake.ComputeAccept(key);
        await context.Features.Get<IHttpUpgradeFeature>()!.UpgradeAsync().ConfigureAwait(false);
        return context.Features.Get<IConnectionTransportFeature>()!.Transport;
    }

    // Header values are comma-separated lists of case-insensitive tokens ("keep-alive, Upgrade").
    private static bool HasToken(Microsoft.Extensions.Primitives.StringValues values, string token)
    {
        foreach (string? value in values)
        {
            foreach (string part in (value ?? string.Empty).Split(','))
            {
                if (part.Trim().Equals(token, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
