using Hypha.Protocol.Native;

namespace Hypha.Transport.Multiplexing;

public sealed partial class Multiplexer
{
    private readonly TaskCompletionSource<CloseReason> _peerGoAwaySignal = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private string? _peerGoAway;
    private Timer? _heartbeat;
    private long _heartbeatPeriod;
    private long _lastTick;

    /// <summary>
    /// Completes when the peer sends GoAway, with its code and reason: start no new calls on this connection; the
    /// ones in flight still finish.
    /// </summary>
    public Task<CloseReason> GoAwayReceived => _peerGoAwaySignal.Task;

    /// <summary>The dead-peer timeout in force: 3 × the larger heartbeat, at least the configured minimum; zero when neither side pings.</summary>
    public TimeSpan DeadPeerTimeout
    {
        get
        {
            TimeSpan beat = Local.Heartbeat > Remote.Heartbeat ? Local.Heartbeat : Remote.Heartbeat;
            if (beat == TimeSpan.Zero)
            {
                return TimeSpan.Zero;
            }

            TimeSpan timeout = beat * 3;
            return timeout > _options.MinDeadPeerTimeout ? timeout : _options.MinDeadPeerTimeout;
        }
    }

    // False when the message ends the connection.
    private bool HandleControl(ControlMessage message)
    {
        switch (message.Type)
        {
            case ControlType.WindowUpdate:
                (NativeChannel channel, int increment) = ControlMessages.ReadWindowUpdate(message);
                AddCredit(channel, increment);
                return true;
            case ControlType.Ping:
                EnqueueControl(ControlMessages.Pong(ControlMessages.ReadPingData(message)));
                return true;
            case ControlType.Pong:
                NotePong(ControlMessages.ReadPingData(message));
                return true;
            case ControlType.GoAway:
                (NativeErrorCode goAwayCode, string goAwayReason) = ControlMessages.ReadReason(message);
                _peerGoAway = goAwayReason;
                _peerGoAwaySignal.TrySetResult(new CloseReason(goAwayCode, goAwayReason, ByPeer: true));
                return true;
            case ControlType.ShmRelease when _pool is not null:
                HandleSharedMemoryRelease(message);
                return true;
            case ControlType.Error:
                (NativeErrorCode code, string text) = ControlMessages.ReadReason(message);
                Close(new CloseReason(code, $"The peer reported an error: {text}", ByPeer: true), sendError: false);
                return false;
            default:
                throw new NativeProtocolException(NativeErrorCode.ProtocolError, $"{message.Type} is not allowed after the handshake");
        }
    }

    private void AddCredit(NativeChannel channel, int increment)
    {
        lock (_gate)
        {
            long credit = _sendCredit[(int)channel] + increment;
            if (credit > ControlMessages.MaxCredit)
            {
                throw new NativeProtocolException(NativeErrorCode.FlowControlError, $"The {channel} window would exceed {ControlMessages.MaxCredit}");
            }

            _sendCredit[(int)channel] = credit;
            NoteIncrement((int)channel, increment);
        }

        _wake.Set();
    }

    // Credit goes back in batches, so a stream of small messages costs few WindowUpdates: half a window, and on stream
    // and bulk at most the credit step (and a frame's worth), so that a sender holding few bytes in flight while calls
    // run (Allowance) gets its credit back fragment by fragment.
    private void ReturnCredit(NativeChannel channel, long amount)
    {
        int index = (int)channel;
        long half = Local.WindowFor(channel) / 2;
        long threshold = Math.Max(1, channel == NativeChannel.Rpc ? half : Math.Min(half, Math.Min(Local.MaxFrame, _options.CreditStep)));
        long increment;
        lock (_creditGate)
        {
            _unreturnedCredit[index] += amount;
            if (_unreturnedCredit[index] < threshold)
            {
                return;
            }

            increment = _unreturnedCredit[index];
            _unreturnedCredit[index] = 0;
            _receiveAllowance[index] += increment;
        }

        EnqueueControl(ControlMessages.WindowUpdate(channel, (int)increment));
    }

    private void StartHeartbeat()
    {
        TimeSpan timeout = DeadPeerTimeout;
        if (timeout == TimeSpan.Zero)
        {
            return;
        }

        // Ticks often enough both to ping on time and to notice a dead peer within a third of the timeout.
        TimeSpan tick = Local.Heartbeat > TimeSpan.Zero && Local.Heartbeat < timeout / 3 ? Local.Heartbeat : timeout / 3;
        _heartbeatPeriod = (long)tick.TotalMilliseconds;
        _lastTick = Environment.TickCount64;
        _heartbeat = new Timer(static state => ((Multiplexer)state!).OnHeartbeat(), this, tick, tick);
    }

    private void OnHeartbeat()
    {
        long now = Environment.TickCount64;
        long sinceTick = now - Interlocked.Exchange(ref _lastTick, now);
        long silent = now - Volatile.Read(ref _lastReceived);

        // A tick that comes far too late means this process was not running (starved or paused), and a reader busy
        // in a handler has not been reading: either way the silence says nothing about the peer. Ping, and judge on
        // a later tick.
        long busySince = Volatile.Read(ref _readerBusySince);
        bool readerFree = busySince == 0 || now - busySince < _heartbeatPeriod;
        bool onTime = sinceTick <= 2 * _heartbeatPeriod && readerFree;
        if (onTime && silent > DeadPeerTimeout.TotalMilliseconds)
        {
            Close(new CloseReason(NativeErrorCode.Timeout, $"No frame from the peer for {silent / 1000.0:0.#} s: the connection is dead", ByPeer: false), sendError: true);
            return;
        }

        if (Local.Heartbeat > TimeSpan.Zero)
        {
            EnqueueControl(TimedPing());
        }

        _mapped?.DropUnlinked();
    }
}
