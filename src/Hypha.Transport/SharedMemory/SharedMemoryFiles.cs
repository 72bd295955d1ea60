using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;

namespace Hypha.Transport.SharedMemory;

/// <summary>
/// The names of segment files and their clean-up. Every file is named <c>hypha-shm.&lt;pid&gt;.&lt;start&gt;.&lt;id&gt;.&lt;n&gt;</c>:
/// the creating process's id and start time (so a later process that reuses the pid is not taken for the owner), then
/// one connection's id. Files whose owner no longer runs are removed the first time a process uses a directory.
/// </summary>
internal static class SharedMemoryFiles
{
    private const string NamePrefix = "hypha-shm.";
    private static readonly ConcurrentDictionary<string, bool> Swept = new(StringComparer.Ordinal);
    private static readonly Lazy<string> ThisProcess = new(() => $"{Environment.ProcessId}.{StartTime(Environment.ProcessId)}");
    private static readonly Lazy<long> Uid = new(ReadUid);

    /// <summary>The user this process runs as (its effective uid), or -1 where it cannot be read.</summary>
    public static long CurrentUid => Uid.Value;

    /// <summary>A new prefix for the files of one connection of this process.</summary>
    public static string NewPrefix() => $"{NamePrefix}{ThisProcess.Value}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}";

    /// <summary>
    /// Removes the segment files in <paramref name="directory"/> whose owner process is gone, once per directory and
    /// process. Files of live processes, and files that are not segments, are left alone.
    /// </summary>
    public static void RemoveOrphans(string directory)
    {
        if (!Swept.TryAdd(directory, true))
        {
            return;
        }

        foreach (string path in SafeList(directory, NamePrefix + "*"))
        {
            string[] parts = Path.GetFileName(path).Split('.');
            if (parts.Length >= 4 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int pid)
                && long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out long start) && !IsRunning(pid, start))
            {
                TryDelete(path);
            }
        }
    }

    /// <summary>Deletes every file of one connection's side: <c>&lt;prefix&gt;.*</c> in <paramref name="directory"/>.</summary>
    public static void DeleteAll(string directory, string prefix)
    {
        foreach (string path in SafeList(directory, prefix + ".*"))
        {
            TryDelete(path);
        }
    }

    /// <summary>Deletes one file; a file already gone is fine.</summary>
    public static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Another process removed it, or it is not ours to remove: either way nothing is left to do here.
        }
    }

    private static IEnumerable<string> SafeList(string directory, string pattern)
    {
        try
        {
            return System.IO.Directory.GetFiles(directory, pattern);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    // The pid alone could have been reused by another process since; its start time (in clock ticks after boot,
    // /proc/<pid>/stat field 22) tells them apart.
    private static bool IsRunning(int pid, long start) => StartTime(pid) == start;

    private static long StartTime(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return long.Parse(fields[19], CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            return -1;
        }
    }

    private static long ReadUid()
    {
        try
        {
            string? line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("Uid:", StringComparison.Ordinal));
            string[] ids = line?.Split(['\t', ' '], StringSplitOptions.RemoveEmptyEntries) ?? [];
            return ids.Length > 2 ? long.Parse(ids[2], CultureInfo.InvariantCulture) : -1;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            return -1;
        }
    }
}
