using Hypha.Server.Auth;
using Hypha.Server.Routing;

namespace Hypha.Server.Connections;

/// <summary>
/// One client that completed the handshake, whatever carries it: who it is, its bounded send queue, and its event
/// subscriptions. It runs one receive loop (<c>Receive</c>) and one send loop (<c>Send</c>); closing is in
/// <c>Close</c>. A subclass supplies the transport: it receives whole messages, writes one frame, sends the close and
/// aborts (<see cref="WebSocketClientConnection"/> for a WebSocket).
/// </summary>
internal abstract partial class ClientConnection
{
    private readonly OutboundQueue _outbound;
    private readonly Lock _subscriptionsGate = new();
    private readonly HashSet<string> _subscriptions = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _lastActivity = Environment.TickCount64;

    /// <summary>Creates the connection; nothing is sent or received until <see cref="RunAsync"/>.</summary>
    protected ClientConnection(AuthenticatedIdentity identity, ConnectionServices services)
    {
        Services = services;
        User = identity.User;
        IsReconnection = identity.IsReconnection;
        Client = new ConnectedClient(identity.Workspace, identity.ClientId, identity.User.ToMap(), DateTimeOffset.UtcNow);
        ForeignCallees = new ForeignCallees(identity.Workspace);
        _outbound = new OutboundQueue(services.Options.SendQueueFrames, services.Options.SendQueueBytes);
        _closeDeadline = new CancellationTokenSource();
        _closeDeadline.Token.Register(static state => ((ClientConnection)state!).AbortTransport(), this);
    }

    /// <summary>Who the client is and where it lives.</summary>
    public ConnectedClient Client { get; }

    /// <summary>The client's user, for the reconnection tokens it asks for.</summary>
    public UserInfo User { get; }

    /// <summary>True when the client joined with a reconnection token.</summary>
    public bool IsReconnection { get; }

    /// <summary>The clients of other workspaces this one has called, told when it leaves.</summary>
    public ForeignCallees ForeignCallees { get; }

    /// <summary>The address, <c>&lt;workspace&gt;/&lt;client id&gt;</c>.</summary>
    public string Address => Client.Address;

    /// <summary>When the client last sent a whole message (<see cref="Environment.TickCount64"/>).</summary>
    public long LastActivity => Interlocked.Read(ref _lastActivity);

    /// <summary>Completes once the connection has ended and the server has forgotten it (see <see cref="MarkFinished"/>).</summary>
    public Task Finished => _finished.Task;

    /// <summary>What every connection of the server shares: options, router, tokens, logger.</summary>
    protected ConnectionServices Services { get; }

    /// <summary>Tells whether the client subscribed to events of <paramref name="eventType"/>.</summary>
    public bool IsSubscribed(string eventType)
    {
        lock (_subscriptionsGate)
        {
            return _subscriptions.Contains(eventType);
        }
    }

    /// <summary>Adds event subscriptions.</summary>
    public void Subscribe(IEnumerable<string> eventTypes)
    {
        lock (_subscriptionsGate)
        {
            _subscriptions.UnionWith(eventTypes);
        }
    }

    /// <summary>Removes event subscriptions.</summary>
    public void Unsubscribe(IEnumerable<string> eventTypes)
    {
        lock (_subscriptionsGate)
        {
            _subscriptions.ExceptWith(eventTypes);
        }
    }

    /// <summary>
    /// Queues a frame for the client, waiting at most <see cref="HyphaServerOptions.SendQueueTimeout"/> for room. A
    /// queue that stays full means the client is not reading: it is closed with 1008 "Client too slow".
    /// </summary>
    /// <returns>True when the frame was queued.</returns>
    /// <remarks>
    /// A routed message is read before the returned task completes and never after (its frame written, or its binary
    /// form encoded): the router relies on this to let the message's reader reuse it. An override keeps to it.
    /// </remarks>
    public virtual async ValueTask<bool> SendAsync(OutboundFrame frame)
    {
        // The queue keeps bytes: a routed message's frame is written now, while the memory its values refer to is
        // still lent to the router, into a rented array that the send loop returns once it has copied the frame out.
        if (frame.Routed is { } routed)
        {
            frame = OutboundFrame.Rented(routed, frame.Channel);
        }

        EnqueueResult result = await _outbound.EnqueueAsync(frame, Services.Options.SendQueueTimeout).ConfigureAwait(false);
        if (result != EnqueueResult.Accepted)
        {
            frame.ReturnRented();
        }

        if (result == EnqueueResult.Full)
        {
            Log.ClientTooSlow(Services.Logger, Address, _outbound.Count);
            RequestClose(CloseCodes.PolicyViolation, "Client too slow");
        }

        return result == EnqueueResult.Accepted;
    }

    /// <summary>
    /// The largest frame the client takes whole; the router sends larger ones through its <c>message_cache</c>. A hypha
    /// WebSocket peer takes what hypha-rpc sends whole: the chunk size (256 KiB) plus 1 KiB.
    /// </summary>
    public virtual long MaxWholeMessage => 256 * 1024 + 1024;

    /// <summary>
    /// Sends a frame whose payloads stay in shared memory, by reference (a native client on the same host); false when
    /// this client cannot take references, and the payloads must be copied in.
    /// </summary>
    public virtual bool TrySendShared(ReadOnlyMemory<byte> frame, IReadOnlyList<Hypha.Transport.SharedMemory.SharedMemoryLease> payloads) => false;

    /// <summary>
    /// Tells the client the server is about to go away, where its transport can say so before closing (native mode:
    /// GoAway); a WebSocket has no such message and learns it from the close.
    /// </summary>
    public virtual void AnnounceGoingAway(string reason)
    {
    }

    /// <summary>
    /// Queues the first frame, before the loops start and before anyone else can address the client, so that the
    /// handshake's answer (<c>connection_info</c> for a WebSocket) always arrives first.
    /// </summary>
    public void QueueFirst(OutboundFrame frame) => _outbound.TryEnqueue(frame);

    /// <summary>
    /// Runs the connection until it ends: the receive loop here, the send loop beside it. Returns once both ended
    /// and the transport is closed or aborted.
    /// </summary>
    public async Task RunAsync()
    {
        using CancellationTokenRegistration stopping = Services.Stopping.Register(
            static state => ((ClientConnection)state!).RequestGoingAway("Server is shutting down"), this);
        Task sending = SendLoopAsync();
        try
        {
            await ReceiveAsync().ConfigureAwait(false);
        }
        finally
        {
            BeginClose(AnswerToPeerClose());
            await sending.ConfigureAwait(false);
            _closeDeadline.Dispose();
        }
    }

    /// <summary>Marks the connection as forgotten by the server (called once its clean-up is done).</summary>
    public void MarkFinished() => _finished.TrySetResult();

    /// <summary>
    /// True when <paramref name="exception"/> is the transport failing or being aborted (the peer vanished, the close
    /// deadline passed): the loops then end quietly. Anything else thrown while handling a message is a server bug.
    /// </summary>
    protected abstract bool IsTransportFailure(Exception exception);
}
