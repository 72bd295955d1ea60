using Microsoft.Extensions.Logging;

namespace Hypha.Server.Routing;

/// <summary>The log messages of the router.</summary>
internal static partial class Log
{
    [LoggerMessage(200, LogLevel.Warning, "Dropped an undecodable binary message from {Address}: {Reason}")]
    public static partial void InvalidFrame(ILogger logger, string address, string reason);

    [LoggerMessage(201, LogLevel.Debug, "Dropped a message from {From} to {Target}: the target is not connected and no result is expected")]
    public static partial void Dropped(ILogger logger, string from, string target);

    [LoggerMessage(202, LogLevel.Warning, "Refused a broadcast from {From} to workspace {Workspace}: broadcasts stay in the sender's workspace")]
    public static partial void BroadcastRefused(ILogger logger, string from, string workspace);

    [LoggerMessage(203, LogLevel.Error, "The workspace manager failed to take a message from {From}")]
    public static partial void ManagerDeliveryFailed(ILogger logger, Exception exception, string from);
}
