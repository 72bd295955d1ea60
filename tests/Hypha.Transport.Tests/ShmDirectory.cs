namespace Hypha.Transport.Tests;

/// <summary>A private directory under /dev/shm for one test's segment files, so it can count them; removed after.</summary>
internal sealed class ShmDirectory : IDisposable
{
    public ShmDirectory()
    {
        Path = System.IO.Path.Combine("/dev/shm", $"hypha-test-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    /// <summary>The segment files in the directory now (probe files excluded: a handshake removes its own).</summary>
    public string[] Files() => Directory.GetFiles(Path).Where(f => !f.EndsWith(".probe", StringComparison.Ordinal)).ToArray();

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
