using Hypha.Protocol.WebSocketFrames;

namespace Hypha.Server.Connections;

internal sealed partial class WebSocketClientConnection
{
    /// <inheritdoc />
    /// <remarks>The client's own code is echoed (a close without a code gets one without a code); a connection that
    /// ended without a close frame is answered with 1000, which reaches the client only if it still reads.</remarks>
    protected override CloseRequest AnswerToPeerClose() =>
        _transport.PeerClose is { } close
            ? new CloseRequest(close.Code, close.Reason, SendErrorFrame: false)
            : new CloseRequest(CloseCodes.Normal, string.Empty, SendErrorFrame: false);

    /// <inheritdoc />
    /// <remarks>The reason goes in <c>{"type":"error","message":...}</c>, then in the close frame, cut to fit.</remarks>
    protected override Task SendCloseAsync(CloseRequest request) =>
        _transport.SendCloseAsync(
            request.Code,
            CloseReasons.Fit(request.Reason),
            request.SendErrorFrame ? ServerTextMessages.Error(request.Reason) : null).AsTask();
}
