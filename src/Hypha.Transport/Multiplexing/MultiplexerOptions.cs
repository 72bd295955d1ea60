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
