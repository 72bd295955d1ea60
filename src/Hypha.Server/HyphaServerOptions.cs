using Microsoft.Extensions.Logging;

namespace Hypha.Server;

/// <summary>
/// Settings of a hypha-mode server. Every value has a default that matches the real hypha server where one exists;
/// <see cref="HyphaServer.Options"/> holds the effective copy, with the bound port, the public URL and the secret
/// resolved.
/// </summary>
public sealed record HyphaServerOptions
{
    /// <summary>The largest close reason a WebSocket close frame can carry, in UTF-8 bytes.</summary>
    internal const int MaxCloseReasonBytes = 123;

    /// <summary>The address to listen on: an IP address, or <c>localhost</c> (the IPv4 loopback). Default 127.0.0.1.</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>The TCP port; 0 picks a free one (read it back from <see cref="HyphaServer.BaseUrl"/>). Default 9527.</summary>
    public int Port { get; init; } = 9527;

    /// <summary>
    /// The URL clients are told to use (<c>connection_info.public_base_url</c>, and <c>_rserver</c> in every remote
    /// function). Null means <c>http://&lt;host&gt;:&lt;port&gt;</c> as actually bound.
    /// </summary>
    public string? PublicBaseUrl { get; init; }

    /// <summary>
    /// The HS256 key of every token the server issues and accepts. Null means a random key for this server
    /// instance, so tokens do not survive a restart; give the same secret to keep them valid across restarts.
    /// </summary>
    public string? JwtSecret { get; init; }

    /// <summary>The id of this server; the workspace manager derives its id from it. Null means a random id.</summary>
    public string? ServerId { get; init; }

    /// <summary>The hypha version reported in <c>connection_info</c>. The clients check it, so it names the real server's.</summary>
    public string HyphaVersion { get; init; } = "0.21.135";

    /// <summary>The largest WebSocket message accepted, in bytes; a larger one closes the connection with 1009. Default 32 MiB.</summary>
    public int MaxFrameBytes { get; init; } = 32 * 1024 * 1024;

    /// <summary>How long a new connection may take to send its authentication frame. Default 5 s, as the real server.</summary>
    public TimeSpan AuthTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>A connection that sends nothing for this long is closed with 1001. Default 600 s, as the real server.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(600);

    /// <summary>The interval of WebSocket protocol pings, which detect half-open connections. Default 20 s.</summary>
    public TimeSpan KeepAliveInterval { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>A connection that does not answer a protocol ping within this time is aborted. Default 20 s.</summary>
    public TimeSpan KeepAliveTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>The most frames waiting to be sent to one client. Default 1024.</summary>
    public int SendQueueFrames { get; init; } = 1024;

    /// <summary>
    /// The most bytes waiting to be sent to one client. A single frame larger than this is still accepted when the
    /// queue is empty. Default 64 MiB.
    /// </summary>
    public long SendQueueBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>
    /// How long a sender waits for room in a full send queue before the receiving client is closed with 1008
    /// "Client too slow". This bounds how long one slow client can hold up anyone else. Default 5 s.
    /// </summary>
    public TimeSpan SendQueueTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a closing handshake may take before the socket is aborted. Default 2 s.</summary>
    public TimeSpan CloseTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How many undecodable binary frames in a row a client may send before it is closed with 1003. Default 10.
    /// </summary>
    public int MaxConsecutiveInvalidFrames { get; init; } = 10;

    /// <summary>The lifetime of reconnection tokens, reported as <c>reconnection_token_life_time</c>. Default 2 days.</summary>
    public TimeSpan ReconnectionTokenLifetime { get; init; } = TimeSpan.FromDays(2);

    /// <summary>The least severe log level written to the console. Default <see cref="LogLevel.Warning"/>.</summary>
    public LogLevel MinimumLogLevel { get; init; } = LogLevel.Warning;

    /// <summary>A logger provider the server writes to as well as the console, for an application hosting it (or a test).</summary>
    public ILoggerProvider? LoggerProvider { get; init; }

    /// <summary>
    /// A Unix domain socket to listen on as well (native mode and HTTP both work there), or null for none. An existing
    /// file at the path is replaced.
    /// </summary>
    public string? UnixSocketPath { get; init; }

    /// <summary>
    /// How long stopping waits for calls in flight through the server to be answered, after telling native clients
    /// it is going away, before it closes every connection.
    /// </summary>
    public TimeSpan ShutdownDrainTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The native-mode settings the server announces in its HelloAck (limits, windows, heartbeat, codecs) and runs its
    /// connections with (priorities, compression of what it sends).
    /// </summary>
    public Hypha.Transport.Multiplexing.MultiplexerOptions Native { get; init; } = new();

    /// <summary>Checks that every value is usable.</summary>
    /// <exception cref="ArgumentException">A value is out of range.</exception>
    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(Host, nameof(Host));
        ArgumentException.ThrowIfNullOrWhiteSpace(HyphaVersion, nameof(HyphaVersion));
        ArgumentOutOfRangeException.ThrowIfNegative(Port, nameof(Port));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Port, 65535, nameof(Port));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxFrameBytes, 1024, nameof(MaxFrameBytes));
        ArgumentOutOfRangeException.ThrowIfLessThan(SendQueueFrames, 1, nameof(SendQueueFrames));
        ArgumentOutOfRangeException.ThrowIfLessThan(SendQueueBytes, 1, nameof(SendQueueBytes));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxConsecutiveInvalidFrames, 1, nameof(MaxConsecutiveInvalidFrames));
        RequirePositive(AuthTimeout, nameof(AuthTimeout));
        RequirePositive(IdleTimeout, nameof(IdleTimeout));
        RequirePositive(KeepAliveInterval, nameof(KeepAliveInterval));
        RequirePositive(KeepAliveTimeout, nameof(KeepAliveTimeout));
        RequirePositive(SendQueueTimeout, nameof(SendQueueTimeout));
        RequirePositive(CloseTimeout, nameof(CloseTimeout));
        RequirePositive(ReconnectionTokenLifetime, nameof(ReconnectionTokenLifetime));
        if (PublicBaseUrl is not null && !Uri.TryCreate(PublicBaseUrl, UriKind.Absolute, out _))
        {
            throw new ArgumentException($"PublicBaseUrl must be an absolute URL, not '{PublicBaseUrl}'.", nameof(PublicBaseUrl));
        }

        if (JwtSecret is { Length: 0 })
        {
            throw new ArgumentException("JwtSecret must not be empty; leave it null for a random secret.", nameof(JwtSecret));
        }

        // Checked here too so that a bad value stops the server at start, not each native client at its Hello.
        Native.Settings.Validate();
    }

    private static void RequirePositive(TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be positive.");
        }
    }
}
