using System.Diagnostics;

namespace Hypha.Bench.Harness;

/// <summary>Where the repository's files are, for scenarios that run the Node peers in tests/interop/js.</summary>
internal static class RepositoryPaths
{
    /// <summary>The repository root: the first folder above the bench binary that holds HyphaRpc.sln.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>tests/interop/js, with its npm packages installed (npm ci runs once when node_modules is missing).</summary>
    public static string InteropJs()
    {
        string folder = Path.Combine(Root, "tests", "interop", "js");
        if (!Directory.Exists(Path.Combine(folder, "node_modules")))
        {
            using Process npm = Process.Start(new ProcessStartInfo("npm", "ci --no-audit --no-fund") { WorkingDirectory = folder })
                ?? throw new InvalidOperationException("npm could not be started.");
            npm.WaitForExit();
            if (npm.ExitCode != 0)
            {
                throw new InvalidOperationException($"npm ci failed in {folder} (exit code {npm.ExitCode}).");
            }
        }

        return folder;
    }

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "HyphaRpc.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("Run the bench from inside the repository: HyphaRpc.sln was not found above it.");
    }
}
