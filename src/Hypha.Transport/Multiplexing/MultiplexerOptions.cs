using Hypha.Protocol.Native;
using Hypha.Transport.Compression;

namespace Hypha.Transport.Multiplexing;

/// <summary>How one side runs a native connection.</summary>
public sealed record MultiplexerOptions
{
    /// <summary>What this side announces: the frames and messages it accepts, its windows and heartbeat.</summary>
    public NativeSettings Settings { get; init; } = new();

    /// <summary>
    /// Writes ready frames in channel priority order and lets higher channels preempt a large message between its
    /// fragments (the default). False writes whole messages in the order they were queued: the <c>fifo</c> baseline
    /// of the head-of-line benchmark, not for production.
    /// </summary>
    public bool Prioritize { get; init; } = true;

    /// <summary>
    /// While calls are active (<see cref="CallsActiveFor"/>) and the peer is near (<see cref="NearPeerRoundTrip"/>),
    /// the most stream or bulk bytes each channel keeps in flight, though its credit allows more: a call's frame waits
    /// behind every byte already in the socket buffers, which no priority can reorder. The capped bytes go in
    /// fragments of half this size, so that the credit of one comes back while the next is in flight. 32 KiB by
    /// default; never below two of the peer's credit steps (a receiver that returns credit coarsely could stall
    /// otherwise); 0 sends whatever the credit allows. Applies only with <see cref="Prioritize"/>
    /// (docs/native-mode.md, "Decisions").
    /// </summary>
    public int InFlightWhileCalling
    {
        get;
        init => field = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "The in-flight cap cannot be negative.");
    } = 32 * 1024;

    /// <summary>
    /// As a receiver, the most stream or bulk credit held back before it goes back to the peer in a WindowUpdate (never
    /// more than half a window or one frame), so that a sender keeping few bytes in flight while calls run gets its
    /// credit back in small steps. 16 KiB by default: half of <see cref="InFlightWhileCalling"/>'s default, so that a
    /// peer with the same settings keeps its cap (docs/wire-format.md §5).
    /// </summary>
    public int CreditStep
    {
        get;
        init => field = value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "The credit step must be positive.");
    } = 16 * 1024;

    /// <summary>How long after its last rpc message (sent or received) a connection counts as carrying calls. 100 ms by default.</summary>
    public TimeSpan CallsActiveFor
    {
        get;
        init => field = value >= TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "The time cannot be negative.");
    } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// The longest ping round trip (the shortest seen on the connection) at which the peer counts as near, so that
    /// <see cref="InFlightWhileCalling"/> applies. 1 ms by default (a LAN): farther away, a link needs more bytes in
    /// flight to stay busy, and a call waits a round trip anyway. A peer that announced this host's identity is near
    /// whatever the pings measured.
    /// </summary>
    public TimeSpan NearPeerRoundTrip
    {
        get;
        init => field = value >= TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "The round trip cannot be negative.");
    } = TimeSpan.FromMilliseconds(1);

    /// <summary>How this side offers and uses shared memory for large payloads between peers on the same host.</summary>
    public SharedMemory.SharedMemoryOptions SharedMemory { get; init; } = new();

    /// <summary>The smallest dead-peer timeout, whatever the heartbeats (§6.4).</summary>
    public TimeSpan MinDeadPeerTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long the handshake (prefaces, Hello, HelloAck) may take.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// When this side compresses what it sends, per channel (docs/native-mode.md, "Compression"). The codecs it can
    /// receive are <see cref="NativeSettings.Compression"/> in <see cref="Settings"/>.
    /// </summary>
    public CompressionOptions Compression { get; init; } = new();

    /// <summary>How long a closing side waits to write its last Error or GoAway frame.</summary>
    public TimeSpan CloseTimeout { get; init; } = TimeSpan.FromSeconds(2);
}
