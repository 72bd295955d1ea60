using System.Diagnostics;
using Hypha.Protocol.Native;

namespace Hypha.Transport.Multiplexing;

public sealed partial class Multiplexer
{
    private readonly long _nearRoundTrip;
    private readonly long _callsActiveMilliseconds;

    // When an rpc message was last queued or received (Environment.TickCount64).
    private long _lastCall = long.MinValue / 2;

    // Pings sent at the start, one after the other's Pong: the first can take a cold path's time.
    private const int StartPings = 3;

    // The shortest ping round trip seen (Stopwatch ticks): the link's own delay, without the bytes queued on it.
    private long _minRoundTrip = long.MaxValue;
    private int _pongs;

    // How coarsely the peer returns credit, per channel: its smallest recent WindowUpdate, following a larger one
    // up by at most double per update (so one lump of credit held back and returned at once hardly moves it), zero
    // until the first. Never below the peer's batching threshold, since every update is at least that. Guarded by _gate.
    private readonly long[] _creditStep = new long[ChannelCount];

    private void NoteCall() => Volatile.Write(ref _lastCall, Environment.TickCount64);

    // Pings carry the time they were sent, and a Pong echoes it.
    private static ControlMessage TimedPing() => ControlMessages.Ping(Stopwatch.GetTimestamp());

    private void NotePong(long sentAt)
    {
        long roundTrip = Stopwatch.GetTimestamp() - sentAt;
        if (Interlocked.Increment(ref _pongs) < StartPings)
        {
            EnqueueControl(TimedPing());
        }

        long known = Volatile.Read(ref _minRoundTrip);
        while (roundTrip >= 0 && roundTrip < known)
        {
            long seen = Interlocked.CompareExchange(ref _minRoundTrip, roundTrip, known);
            if (seen == known)
            {
                return;
            }

            known = seen;
        }
    }

    // Under _gate.
    private void NoteIncrement(int channel, long increment)
    {
        long step = _creditStep[channel];
        _creditStep[channel] = step == 0 ? increment : Math.Min(increment, 2 * step);
    }

    // A peer on this host (both announced the same host identity) is near by definition. Otherwise the shortest ping
    // round trip decides; measured alone it can miss: on a loaded machine the start pings may all take more than the
    // limit, and once a transfer runs uncapped every later ping waits behind its bytes, so the peer would stay "far".
    private bool IsNear() => Agreement.SameHost || Volatile.Read(ref _minRoundTrip) <= _nearRoundTrip;

    // Under _gate: how many bytes of a stream or bulk message the writer may send now. Its credit, except while calls
    // are active on a near peer: then every stream or bulk byte in flight is a byte a call's frame waits behind in the
    // socket buffers, whatever the priorities, so the channel keeps at most the cap in flight (native-mode.md,
    // "Decisions"). Never below two of the peer's credit steps: a receiver returns credit only once it owes a step,
    // so fewer bytes in flight than that could stall. And only where the receiver returns credit as fragments arrive
    // (§5): past the first half window of a large message; a message small enough that its credit comes back only once
    // it is whole starts only under the cap, then goes to its end.
    private long Allowance(OutgoingMessage message)
    {
        int channel = (int)message.Channel;
        long credit = _sendCredit[channel];
        long cap = _options.InFlightWhileCalling;
        if (cap <= 0
            || !_options.Prioritize
            || _creditStep[channel] == 0
            || !IsNear()
            || Environment.TickCount64 - Volatile.Read(ref _lastCall) > _callsActiveMilliseconds)
        {
            return credit;
        }

        cap = Math.Max(cap, 2 * _creditStep[channel]);
        long window = Remote.WindowFor(message.Channel);
        long inFlight = window - credit;
        if (message.Payload.Length > window / 2)
        {
            // In fragments of half the configured cap: the receiver returns each one's credit as it arrives, so the
            // credit of one comes back while the next is in flight. Not half the cap in force, which the peer's
            // credit steps set: full-size fragments would make full-size steps, and the cap would never come down.
            return message.Offset <= window / 2
                ? credit
                : Math.Clamp(Math.Min(cap - inFlight, Math.Max(1, _options.InFlightWhileCalling / 2)), 0, credit);
        }

        return message.Offset > 0 || inFlight < cap ? credit : 0;
    }
}
