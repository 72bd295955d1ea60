using Hypha.Protocol.Schemas;

namespace Hypha.Protocol.Native;

/// <summary>
/// What the two sides of a native connection agreed to at Hello/HelloAck (docs/wire-format.md §6.2). Computed the
/// same way on both sides, from what each announced: the server's HelloAck lists what it chose from the client's
/// offers, so the intersection of the two announcements is the agreement whichever side computes it.
/// </summary>
/// <param name="Compression">The codecs both sides can decode, in the client's order of preference.</param>
/// <param name="SameHost">True when both announced the same, known host identity.</param>
public sealed record NativeAgreement(IReadOnlyList<string> Compression, bool SameHost)
{
    /// <summary>
    /// True when large payloads may travel by reference in shared memory: both sides on the same host, both offering
    /// it with the same directory and user (a server accepts only once it read the client's probe file).
    /// </summary>
    public bool SharedMemory { get; init; }

    /// <summary>
    /// The schemas both sides hold with the same fingerprint, in the client's order: a message in the binary form
    /// names its schema by its place in this list (docs/wire-format.md §7). The entries carry the definition the
    /// client offered, when the computing side received one.
    /// </summary>
    public IReadOnlyList<SchemaOffer> Schemas { get; init; } = [];

    /// <summary>The agreement between what this side announced and what the peer announced.</summary>
    public static NativeAgreement Between(NativeSettings local, NativeSettings remote)
    {
        ArgumentNullException.ThrowIfNull(local);
        ArgumentNullException.ThrowIfNull(remote);
        bool sameHost = local.Host is not null && local.Host == remote.Host;
        return new NativeAgreement(remote.Compression.Where(local.Compression.Contains).ToArray(), sameHost)
        {
            SharedMemory = sameHost && local.SharedMemory is { } mine && remote.SharedMemory is { } theirs && mine.IsCompatible(theirs),
            Schemas = remote.Schemas.Where(theirs => local.Schemas.Any(mine => mine.Id == theirs.Id && mine.Fingerprint == theirs.Fingerprint)).ToArray(),
        };
    }
}
