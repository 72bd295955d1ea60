using Microsoft.Extensions.Logging;

namespace Hypha.Server.Connections;

/// <summary>The log messages of connections and handshakes.</summary>
internal static partial class Log
{
    [LoggerMessage(100, LogLevel.Information, "Client {Address} connected (reconnection: {IsReconnection})")]
    public static partial void Connected(ILogger logger, string address, bool isReconnection);

    [LoggerMessage(101, LogLevel.Information, "Client {Address} disconnected")]
    public static partial void Disconnected(ILogger logger, string address);

    [LoggerMessage(102, LogLevel.Information, "Handshake refused with close {Code}: {Reason}")]
    public static partial void HandshakeRefused(ILogger logger, int code, string reason);

    [LoggerMessage(103, LogLevel.Debug, "Handshake ended early: {Reason}")]
    public static partial void HandshakeEnded(ILogger logger, string reason);

    [LoggerMessage(104, LogLevel.Information, "Closing {Address} with {Code}: {Reason}")]
    public static partial void Closing(ILogger logger, string address, int code, string reason);

    [LoggerMessage(105, LogLevel.Warning, "Client {Address} is too slow: {Queued} frames stayed queued for the whole send timeout")]
    public static partial void ClientTooSlow(ILogger logger, string address, int queued);

    [LoggerMessage(106, LogLevel.Debug, "Sending to {Address} stopped: {Reason}")]
    public static partial void SendFailed(ILogger logger, string address, string reason);

    [LoggerMessage(107, LogLevel.Debug, "Receiving from {Address} stopped: {Reason}")]
    public static partial void ReceiveEnded(ILogger logger, string address, string reason);

    [LoggerMessage(108, LogLevel.Error, "Handling a message from {Address} failed; closing the connection")]
    public static partial void HandlerFailed(ILogger logger, Exception exception, string address);

    [LoggerMessage(109, LogLevel.Debug, "Ignored a text message of {Length} bytes from {Address}: too long or not a JSON object with a type")]
    public static partial void TextIgnored(ILogger logger, string address, int length);

    [LoggerMessage(110, LogLevel.Information, "Ignored a text message of unknown type '{Type}' from {Address}")]
    public static partial void UnknownText(ILogger logger, string address, string type);

    [LoggerMessage(111, LogLevel.Error, "The workspace manager failed on {Event} of {Address}")]
    public static partial void ManagerCallbackFailed(ILogger logger, Exception exception, string @event, string address);

    [LoggerMessage(112, LogLevel.Information, "A WebSocket peer did not answer a protocol ping within {Seconds} s; aborting the connection")]
    public static partial void KeepAliveTimeout(ILogger logger, double seconds);
}
