using Hypha.Server.Auth;
using Hypha.Server.Routing;
using Microsoft.Extensions.Logging;

namespace Hypha.Server.Connections;

/// <summary>What every connection of one server shares.</summary>
/// <param name="Options">The server's effective options.</param>
/// <param name="Router">Routes the binary frames a client sends.</param>
/// <param name="Tokens">Issues the reconnection tokens a client asks for.</param>
/// <param name="Logger">The connections' logger.</param>
/// <param name="Stopping">Cancelled when the server starts to stop: every connection then closes with 1001.</param>
internal sealed record ConnectionServices(
    HyphaServerOptions Options,
    MessageRouter Router,
    HyphaTokenService Tokens,
    ILogger Logger,
    CancellationToken Stopping);
