namespace Hypha.Server.Routing;

/// <summary>
/// Client addresses: <c>&lt;workspace&gt;/&lt;client id&gt;</c>, <c>&lt;workspace&gt;/*</c> for a broadcast, and
/// <c>*/&lt;manager id&gt;</c> for the workspace manager.
/// </summary>
internal static class Addresses
{
    /// <summary>The client id part that means every subscriber of a workspace.</summary>
    public const string Broadcast = "*";

    /// <summary>
    /// Makes a <c>to</c> absolute from the sender's workspace (hypha-protocol.md 2.7): <c>*</c> becomes
    /// <c>&lt;ws&gt;/*</c>, a value without <c>/</c> becomes <c>&lt;ws&gt;/&lt;to&gt;</c>, anything else stays.
    /// </summary>
    public static string Normalize(string to, string senderWorkspace)
    {
        if (to == Broadcast)
        {
            return $"{senderWorkspace}/{Broadcast}";
        }

        return to.Contains('/', StringComparison.Ordinal) ? to : $"{senderWorkspace}/{to}";
    }

    /// <summary>Splits an absolute address at its first <c>/</c>.</summary>
    public static bool TrySplit(string address, out string workspace, out string clientId)
    {
        int slash = address.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            workspace = clientId = string.Empty;
            return false;
        }

        workspace = address[..slash];
        clientId = address[(slash + 1)..];
        return true;
    }

    /// <summary>True for <c>&lt;workspace&gt;/*</c>; checked on every delivery, so without splitting the address.</summary>
    public static bool IsBroadcast(string address)
    {
        int slash = address.IndexOf('/', StringComparison.Ordinal);
        return slash >= 0 && address.AsSpan(slash + 1).SequenceEqual(Broadcast);
    }

    /// <summary>The address of the workspace manager with id <paramref name="managerId"/>.</summary>
    public static string OfManager(string managerId) => $"*/{managerId}";
}
