using System.Collections.Concurrent;

namespace Hypha.Server.Connections;

/// <summary>
/// The clients of other workspaces that one client has called, told when it leaves (a <c>peer_not_found</c> message
/// naming it, docs/hypha-server.md). hypha's <c>client_disconnected</c> event reaches only the leaver's own workspace,
/// so a callee elsewhere, every public service's provider for anonymous callers, would keep what its results handed
/// the leaver (a generator read halfway, callbacks) until its idle sweep: ten minutes in hypha-rpc and in ours.
/// </summary>
internal sealed class ForeignCallees(string workspace)
{
    // Past this many, further callees are not recorded: they keep what they handed out until their own sweep.
    private const int Max = 4096;

    private readonly ConcurrentDictionary<string, byte> _callees = new(StringComparer.Ordinal);

    // The callee recorded last: a client mostly calls the same few, and the check costs a string comparison.
    private string? _last;

    /// <summary>Records a call to <paramref name="callee"/> (an absolute address) that expects an answer.</summary>
    public void Called(string callee)
    {
        if (string.Equals(callee, Volatile.Read(ref _last), StringComparison.Ordinal)
            || (callee.Length > workspace.Length && callee[workspace.Length] == '/' && callee.StartsWith(workspace, StringComparison.Ordinal)))
        {
            return;
        }

        if (!_callees.ContainsKey(callee) && _callees.Count < Max)
        {
            _callees.TryAdd(callee, 0);
        }

        Volatile.Write(ref _last, callee);
    }

    /// <summary>Every callee recorded.</summary>
    public ICollection<string> All => _callees.Keys;
}
