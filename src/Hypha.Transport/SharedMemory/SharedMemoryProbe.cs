using System.Security.Cryptography;
using Hypha.Protocol.Native;

namespace Hypha.Transport.SharedMemory;

/// <summary>
/// The capability check of the handshake (docs/wire-format.md §9): the client offers shared memory with a probe file
/// in its directory holding a random nonce; the server accepts only if it runs as the same user on the same host,
/// uses the same directory, and reads that nonce back from the file: then each side can open the other's files.
/// </summary>
internal static class SharedMemoryProbe
{
    private const int MaxNonceBytes = 128;

    /// <summary>
    /// This side's offer, or null where shared memory cannot work (disabled, not Linux, no such directory). A client
    /// offer also creates the probe file; <see cref="Remove"/> deletes it once the handshake is over.
    /// </summary>
    public static SharedMemoryOffer? Offer(SharedMemoryOptions options, bool withProbe)
    {
        string directory = Path.TrimEndingDirectorySeparator(Path.GetFullPath(options.Directory));
        long uid = SharedMemoryFiles.CurrentUid;
        if (!options.Enabled || !OperatingSystem.IsLinux() || uid < 0 || !Directory.Exists(directory))
        {
            return null;
        }

        SharedMemoryFiles.RemoveOrphans(directory);
        var offer = new SharedMemoryOffer(directory, uid, SharedMemoryFiles.NewPrefix(), options.MaxMessage);
        if (!withProbe)
        {
            return offer;
        }

        string probe = $"{offer.Prefix}.probe";
        string nonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        try
        {
            using var file = new FileStream(Path.Combine(directory, probe), new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            });
            file.Write(System.Text.Encoding.ASCII.GetBytes(nonce));
            return offer with { Probe = probe, Nonce = nonce };
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>True when the client's probe file exists in its directory and holds its nonce.</summary>
    public static bool Verify(SharedMemoryOffer client)
    {
        if (client.Probe is null || client.Nonce is null)
        {
            return false;
        }

        try
        {
            var info = new FileInfo(Path.Combine(client.Directory, client.Probe));
            if (!info.Exists || info.LinkTarget is not null || info.Length > MaxNonceBytes)
            {
                return false;
            }

            return File.ReadAllText(info.FullName) == client.Nonce;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Deletes the probe file of an offer, if it has one.</summary>
    public static void Remove(SharedMemoryOffer? offer)
    {
        if (offer?.Probe is { } probe)
        {
            SharedMemoryFiles.TryDelete(Path.Combine(offer.Directory, probe));
        }
    }
}
