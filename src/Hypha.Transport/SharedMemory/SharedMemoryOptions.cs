namespace Hypha.Transport.SharedMemory;

/// <summary>
/// How one side of a native connection uses shared memory for large payloads (docs/native-mode.md, "Shared memory").
/// It is offered at Hello and used only when both sides run on the same host as the same user and see the same
/// directory; otherwise large payloads go over the bulk channel, with the same API and results.
/// </summary>
public sealed record SharedMemoryOptions
{
    /// <summary>Offer shared memory at all (true by default; it is offered only where <see cref="Directory"/> exists).</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Where segment files are created and looked up: a tmpfs directory (default <c>/dev/shm</c>).</summary>
    public string Directory { get; init; } = "/dev/shm";

    /// <summary>Binary values larger than this travel by reference (default 1 MiB).</summary>
    public int Threshold { get; init; } = 1024 * 1024;

    /// <summary>
    /// The most bytes this side accepts by reference in one message, announced to the peer (default 2 GiB − 1). A
    /// reference costs the receiver no memory until it copies the bytes; this bounds what one message can make it copy.
    /// </summary>
    public long MaxMessage { get; init; } = int.MaxValue;

    /// <summary>The most bytes of segments this side keeps for sending on one connection, in use or idle (default 4 GiB).</summary>
    public long MaxPoolBytes { get; init; } = 4L * 1024 * 1024 * 1024;

    /// <summary>The most bytes of idle segments kept for reuse on one connection (default 512 MiB); beyond, released segments are deleted.</summary>
    public long MaxIdleBytes { get; init; } = 512L * 1024 * 1024;

    /// <summary>The most bytes of the peer's segments this side maps at once for one connection (default 8 GiB of address space).</summary>
    public long MaxMappedBytes { get; init; } = 8L * 1024 * 1024 * 1024;
}
