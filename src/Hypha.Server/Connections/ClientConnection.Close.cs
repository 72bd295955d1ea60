namespace Hypha.Server.Connections;

internal abstract partial class ClientConnection
{
    // Aborts the transport when a close takes longer than CloseTimeout: a client that stopped reading would otherwise
    // keep a send pending, and the connection open, forever.
    private readonly CancellationTokenSource _closeDeadline;
    private CloseRequest? _closeRequest;

    /// <summary>True until the connection starts closing.</summary>
    public bool IsOpen => !IsClosing && IsTransportOpen;

    /// <summary>True once a close was requested, by the server or by the client.</summary>
    protected bool IsClosing => Volatile.Read(ref _closeRequest) is not null;

    /// <summary>True while the transport can still carry messages both ways.</summary>
    protected abstract bool IsTransportOpen { get; }

    /// <summary>
    /// Closes the connection for an error: queued frames are dropped, the client is told the reason (for a WebSocket,
    /// <c>{"type":"error","message":reason}</c>) and then gets the close. Only the first request counts.
    /// </summary>
    public void RequestClose(int code, string reason) => BeginClose(new CloseRequest(code, reason, SendErrorFrame: true));

    /// <summary>
    /// Closes the connection with 1001 (server stopping, idle, replaced) and no error frame: the client is expected
    /// to reconnect, and some clients treat an error frame as a reason to give up.
    /// </summary>
    public void RequestGoingAway(string reason) => BeginClose(new CloseRequest(CloseCodes.GoingAway, reason, SendErrorFrame: false));

    /// <summary>
    /// The close to begin once the receive loop has ended: the client closed (echo its code), or the transport failed
    /// (nothing more can be sent). It counts only when nothing else closed the connection first.
    /// </summary>
    protected abstract CloseRequest AnswerToPeerClose();

    /// <summary>
    /// Sends the close once the queue is completed and drained: the reason first when
    /// <see cref="CloseRequest.SendErrorFrame"/> is set, then the close itself, as far as the transport is still open.
    /// </summary>
    protected abstract Task SendCloseAsync(CloseRequest request);

    /// <summary>Tears the transport down at once; pending sends and receives fail. Called when the close deadline passes.</summary>
    protected abstract void AbortTransport();

    private void BeginClose(CloseRequest request)
    {
        if (Interlocked.CompareExchange(ref _closeRequest, request, null) is not null)
        {
            return;
        }

        Log.Closing(Services.Logger, Address, request.Code, request.Reason);
        _outbound.Complete();
        try
        {
            _closeDeadline.CancelAfter(Services.Options.CloseTimeout);
        }
        catch (ObjectDisposedException)
        {
            // The connection already ended; there is nothing left to abort.
        }
    }
}
