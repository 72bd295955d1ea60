namespace Hypha.Client.Rpc;

/// <summary>Who an <see cref="RpcPeer"/> is and how it calls.</summary>
public sealed record RpcPeerOptions
{
    /// <summary>The peer's workspace (<c>*</c> for the server's manager).</summary>
    public required string Workspace { get; init; }

    /// <summary>The peer's client id.</summary>
    public required string ClientId { get; init; }

    /// <summary>The server's public base URL, stamped as <c>_rserver</c> on every function this peer hands out.</summary>
    public required string ServerUrl { get; init; }

    /// <summary>The workspace manager's id: calls from <c>*/&lt;ManagerId&gt;</c> may reach protected services.</summary>
    public string? ManagerId { get; init; }

    /// <summary>How long a call waits for its result, renewed by every heartbeat of the callee (30 s by default).</summary>
    public TimeSpan MethodTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Frames larger than this plus 1 KiB travel in chunks through the receiver's <c>message_cache</c>.</summary>
    public int ChunkSize { get; init; } = 256 * 1024;

    /// <summary>How many chunks of one message are in flight at once.</summary>
    public int ChunksInFlight { get; init; } = 30;

    /// <summary>The largest message this peer reassembles from chunks.</summary>
    public long MaxMessageBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>How many chunked messages this peer assembles at once.</summary>
    public int MaxPendingChunkedMessages { get; init; } = 256;

    /// <summary>How long an unfinished chunked message, or an idle session with nothing pending, is kept.</summary>
    public TimeSpan IdleLifetime { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How many incoming calls may run at once; calls beyond are rejected at once with an error saying so, so that a
    /// peer cannot make this one start unbounded work (SignalR's MaximumParallelInvocationsPerClient, per peer here).
    /// </summary>
    public int MaxConcurrentCalls { get; init; } = 4096;

    /// <summary>
    /// True when typed services advertise their contract's record fingerprint and typed proxies write records in their
    /// binary form to services that advertise the same one: a client sets it on native connections only, so hypha-mode
    /// peers never see a binary record.
    /// </summary>
    public bool BinaryRecords { get; init; }

    /// <summary>Receives diagnostics (dropped frames, failures with no caller to report them to); null to ignore them.</summary>
    public Action<string>? Log { get; init; }
}
