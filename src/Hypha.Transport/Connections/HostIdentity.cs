using System.Security.Cryptography;
using System.Text;

namespace Hypha.Transport.Connections;

/// <summary>
/// This machine's identity for native peers (DESIGN.md, shared memory): the machine id and the boot id, so that two
/// processes agree only when they share the same running kernel. It is hashed, because the machine id itself should
/// not leave the host.
/// </summary>
public static class HostIdentity
{
    private static readonly Lazy<string?> Value = new(Read);

    /// <summary>The identity of this host and boot, or null where it cannot be read (not Linux, no machine id).</summary>
    public static string? Current => Value.Value;

    /// <summary>
    /// <paramref name="settings"/> as this side announces them: with this host's identity unless they name one already
    /// (a test that pretends to be on another host sets its own).
    /// </summary>
    public static Hypha.Protocol.Native.NativeSettings Stamp(Hypha.Protocol.Native.NativeSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.Host is null && Current is { } host ? settings with { Host = host } : settings;
    }

    private static string? Read()
    {
        string? machine = ReadFirstLine("/etc/machine-id") ?? ReadFirstLine("/var/lib/dbus/machine-id");
        string? boot = ReadFirstLine("/proc/sys/kernel/random/boot_id");
        if (machine is null || boot is null)
        {
            return null;
        }

        byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{machine}/{boot}"));
        return Convert.ToHexStringLower(hash.AsSpan(0, 16));
    }

    private static string? ReadFirstLine(string path)
    {
        try
        {
            string? line = File.ReadLines(path).FirstOrDefault()?.Trim();
            return string.IsNullOrEmpty(line) ? null : line;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
