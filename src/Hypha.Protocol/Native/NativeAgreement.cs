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
    /// <summary>The agreement between what this side announced and what the peer announced.</summary>
    public static NativeAgreement Between(NativeSettings local, NativeSettings remote)
    {
        ArgumentNullException.ThrowIfNull(local);
        ArgumentNullException.ThrowIfNull(remote);
        return new NativeAgreement(
            remote.Compression.Where(local.Compression.Contains).ToArray(),
            local.Host is not null && local.Host == remote.Host);
    }
}
