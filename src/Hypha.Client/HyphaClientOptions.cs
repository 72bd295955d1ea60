namespace Hypha.Client;

/// <summary>How a <see cref="HyphaClient"/> connects.</summary>
public sealed record HyphaClientOptions
{
    /// <summary>The server: <c>http://host:port</c> (hypha mode over WebSocket <c>/ws</c>) or a <c>ws://</c> URL used as is.</summary>
    public required string ServerUrl { get; init; }

    /// <summary>A token the server issued, or null for an anonymous user.</summary>
    public string? Token { get; init; }

    /// <summary>The workspace to join, or null for the user's own.</summary>
    public string? Workspace { get; init; }

    /// <summary>The client id, or null for a random one.</summary>
    public string? ClientId { get; init; }

    /// <summary>How long a call waits for its result, renewed by heartbeats (30 s by default).</summary>
    public TimeSpan MethodTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the handshake may take.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Reconnect after an unexpected close, re-registering every service (true by default).</summary>
    public bool Reconnect { get; init; } = true;

    /// <summary>The first reconnection delay; it doubles up to <see cref="MaxReconnectDelay"/>, with ±10 % jitter.</summary>
    public TimeSpan ReconnectDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between reconnection attempts.</summary>
    public TimeSpan MaxReconnectDelay { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long to keep trying to reconnect before failing every pending call.</summary>
    public TimeSpan ReconnectFor { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>How often the application-level <c>{"type":"ping"}</c> keeps the connection alive.</summary>
    public TimeSpan PingInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How often the reconnection token is refreshed (in hypha mode the first refresh comes 2 s after connecting; in
    /// native mode one interval after, since the HelloAck brought a fresh token).
    /// </summary>
    public TimeSpan TokenRefreshInterval { get; init; } = TimeSpan.FromHours(2);

    /// <summary>The largest binary frame accepted from the server.</summary>
    public int MaxFrameBytes { get; init; } = 64 * 1024 * 1024;

    /// <summary>Receives diagnostics; null to ignore them.</summary>
    public Action<string>? Log { get; init; }

    /// <summary>How long disposing waits for calls in flight (made or served) to finish before it closes.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Native mode only (<c>tcp://</c>, <c>unix://</c>): frame and message limits, windows, heartbeat, priorities and
    /// compression of the multiplexed connection (docs/wire-format.md, docs/native-mode.md).
    /// </summary>
    public Hypha.Transport.Multiplexing.MultiplexerOptions Native { get; init; } = new();

    /// <summary>
    /// Native mode only: typed services of this client advertise their contract's record fingerprint, and its typed
    /// proxies write records in their binary form to services that advertise the same one (true by default; false
    /// keeps records as msgpack maps, as in hypha mode). docs/typed-services.md, "Records in native mode".
    /// </summary>
    public bool BinaryRecords { get; init; } = true;
}
