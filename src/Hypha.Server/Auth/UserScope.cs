using System.Text;
using Hypha.Protocol.MsgPack;

namespace Hypha.Server.Auth;

/// <summary>
/// What a user may reach: a permission per workspace, the client id and current workspace a token is bound to,
/// and any other scopes. In tokens it travels as the real hypha server's scope string,
/// <c>"ws:&lt;ws&gt;#&lt;perm&gt; cid:&lt;client_id&gt; wid:&lt;current_ws&gt;"</c> plus extra scopes as further words.
/// </summary>
/// <param name="Workspaces">The permission (<see cref="WorkspacePermission"/>) per workspace.</param>
/// <param name="ClientId">The client id the scope is bound to, if any.</param>
/// <param name="CurrentWorkspace">The workspace the holder works in, if any.</param>
/// <param name="ExtraScopes">Any other scope words, kept as given.</param>
public sealed record UserScope(
    IReadOnlyDictionary<string, string> Workspaces,
    string? ClientId,
    string? CurrentWorkspace,
    IReadOnlyList<string> ExtraScopes)
{
    private const string WorkspacePrefix = "ws:";
    private const string ClientPrefix = "cid:";
    private const string CurrentWorkspacePrefix = "wid:";

    /// <summary>The permission on <paramref name="workspace"/>, or null when the scope has none.</summary>
    public string? PermissionFor(string workspace) =>
        Workspaces.TryGetValue(workspace, out string? permission) ? permission : null;

    /// <summary>The scope string, in the real hypha server's format.</summary>
    public string Format()
    {
        var text = new StringBuilder();
        foreach ((string workspace, string permission) in Workspaces)
        {
            Append(text, $"{WorkspacePrefix}{workspace}#{permission}");
        }

        if (ClientId is not null)
        {
            Append(text, ClientPrefix + ClientId);
        }

        if (CurrentWorkspace is not null)
        {
            Append(text, CurrentWorkspacePrefix + CurrentWorkspace);
        }

        foreach (string extra in ExtraScopes)
        {
            Append(text, extra);
        }

        return text.ToString();
    }

    /// <summary>Reads a scope string; words it does not recognise become <see cref="ExtraScopes"/>.</summary>
    /// <exception cref="FormatException">A workspace entry has no valid permission.</exception>
    public static UserScope Parse(string scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var workspaces = new Dictionary<string, string>(StringComparer.Ordinal);
        string? clientId = null;
        string? currentWorkspace = null;
        var extras = new List<string>();
        foreach (string word in scope.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (word.StartsWith(WorkspacePrefix, StringComparison.Ordinal))
            {
                int hash = word.LastIndexOf('#');
                string permission = hash < 0 ? string.Empty : word[(hash + 1)..];
                if (hash <= WorkspacePrefix.Length || !WorkspacePermission.IsValid(permission))
                {
                    throw new FormatException($"The scope entry '{word}' is not ws:<workspace>#<r|rw|a>.");
                }

                workspaces[word[WorkspacePrefix.Length..hash]] = permission;
            }
            else if (word.StartsWith(ClientPrefix, StringComparison.Ordinal))
            {
                clientId = word[ClientPrefix.Length..];
            }
            else if (word.StartsWith(CurrentWorkspacePrefix, StringComparison.Ordinal))
            {
                currentWorkspace = word[CurrentWorkspacePrefix.Length..];
            }
            else
            {
                extras.Add(word);
            }
        }

        return new UserScope(workspaces, clientId, currentWorkspace, extras);
    }

    /// <summary>The scope as the <c>scope</c> map of the user dict (hypha-protocol.md 2.5).</summary>
    public MsgPackMap ToMap()
    {
        var workspaces = new MsgPackMap(Workspaces.Count);
        foreach ((string workspace, string permission) in Workspaces)
        {
            workspaces.Add(workspace, permission);
        }

        var extras = new MsgPackValue[ExtraScopes.Count];
        for (int i = 0; i < extras.Length; i++)
        {
            extras[i] = ExtraScopes[i];
        }

        return new MsgPackMap(4)
        {
            { "current_workspace", CurrentWorkspace },
            { "workspaces", workspaces },
            { "client_id", ClientId },
            { "extra_scopes", extras },
        };
    }

    private static void Append(StringBuilder text, string word)
    {
        if (text.Length > 0)
        {
            text.Append(' ');
        }

        text.Append(word);
    }
}
