using Hypha.Protocol.Native;
using Hypha.Server.Auth;
using Hypha.Server.Connections;
using Hypha.Transport.Multiplexing;
using Microsoft.AspNetCore.Connections;

namespace Hypha.Server.Native;

/// <summary>
/// A client connected in native mode: its multiplexer delivers whole messages with their channel, frames for it go
/// out on the channel they arrived on, and a close is an Error (for a reason) or a GoAway. Up to
/// <see cref="WritesInFlight"/> frames are handed to the multiplexer before the send loop waits for the oldest, so the
/// multiplexer's writer can batch many frames into one flush while what a slow client holds stays bounded.
/// </summary>
internal sealed class NativeClientConnection : ClientConnection
{
    private const int WritesInFlight = 256;

    private readonly ConnectionContext _context;
    private readonly Multiplexer _mux;
    private readonly Queue<Task> _writes = new();

    /// <summary>Creates the connection over a multiplexer whose handshake completed; nothing moves until <see cref="ClientConnection.RunAsync"/>.</summary>
    public NativeClientConnection(ConnectionContext context, Multiplexer mux, AuthenticatedIdentity identity, ConnectionServices services)
        : base(identity, services)
    {
        _context = context;
        _mux = mux;
    }

    /// <inheritdoc />
    protected override bool IsTransportOpen => !_mux.Completion.IsCompleted;

    /// <inheritdoc />
    protected override bool IsTransportFailure(Exception exception) =>
        exception is MultiplexerClosedException or IOException or ObjectDisposedException or OperationCanceledException;

    /// <inheritdoc />
    protected override async Task ReceiveLoopAsync()
    {
        _mux.Start(async (channel, message) =>
        {
            if (IsClosing)
            {
                return;
            }

            Touch();
            await RouteAsync(message, channel).ConfigureAwait(false);
        });
        await _mux.Completion.ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>Router frames are never reused once queued, so they can be handed over without waiting for the write.</remarks>
    protected override async ValueTask WriteFrameAsync(OutboundFrame frame)
    {
        _writes.Enqueue(_mux.SendAsync(frame.Channel, frame.Bytes));
        while (_writes.Count > WritesInFlight || (_writes.TryPeek(out Task? oldest) && oldest.IsCompleted))
        {
            await _writes.Dequeue().ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    protected override CloseRequest AnswerToPeerClose()
    {
        CloseReason reason = _mux.Completion.IsCompleted
            ? _mux.Completion.Result
            : new CloseReason(NativeErrorCode.None, "The connection ended", ByPeer: true);
        return new CloseRequest(NativeCloseCodes.ToCloseCode(reason.Code), reason.Message, SendErrorFrame: false);
    }

    /// <inheritdoc />
    /// <remarks>A reason goes in an Error frame; a plain close is a GoAway that lets what is queued go out first.</remarks>
    protected override async Task SendCloseAsync(CloseRequest request)
    {
        if (request.SendErrorFrame)
        {
            _mux.Abort(NativeCloseCodes.ToNative(request.Code), request.Reason);
        }
        else
        {
            _mux.GoAway(NativeCloseCodes.ToNative(request.Code), request.Reason);
            await _mux.DisposeAsync().ConfigureAwait(false);
        }

        await _mux.Completion.ConfigureAwait(false);
    }

    /// <inheritdoc />
    protected override void AbortTransport()
    {
        _mux.Abort(NativeErrorCode.Timeout, "The close did not complete in time");
        _context.Abort();
    }
}
