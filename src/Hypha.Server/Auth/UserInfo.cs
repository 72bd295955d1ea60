using Hypha.Protocol.MsgPack;

namespace Hypha.Server.Auth;

/// <summary>
/// A user as the server knows it: the source of the <c>user</c> dict stamped into every message a client sends and
/// reported in <c>connection_info</c> (hypha-protocol.md 2.5).
/// </summary>
public sealed record UserInfo
{
    /// <summary>The role every anonymous user has.</summary>
    public const string AnonymousRole = "anonymous";

    /// <summary>The user id.</summary>
    public required string Id { get; init; }

    /// <summary>The roles.</summary>
    public IReadOnlyList<string> Roles { get; init; } = [];

    /// <summary>True for a user the server made up for a connection without a token.</summary>
    public bool IsAnonymous { get; init; }

    /// <summary>The e-mail address, if known.</summary>
    public string? Email { get; init; }

    /// <summary>The user this one was derived from, if any.</summary>
    public string? Parent { get; init; }

    /// <summary>When the credentials of this user expire, if they do.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>What the user may reach, and where it works now.</summary>
    public required UserScope Scope { get; init; }

    /// <summary>The workspace every user owns: <c>ws-user-&lt;id&gt;</c>.</summary>
    public string OwnWorkspace => $"ws-user-{Id}";

    /// <summary>
    /// The user dict: <c>{id, roles, is_anonymous, email, parent, expires_at, current_workspace, scope}</c>, with
    /// <c>expires_at</c> in seconds since the Unix epoch (or null).
    /// </summary>
    public MsgPackMap ToMap()
    {
        var roles = new MsgPackValue[Roles.Count];
        for (int i = 0; i < roles.Length; i++)
        {
            roles[i] = Roles[i];
        }

        return new MsgPackMap(8)
        {
            { "id", Id },
            { "roles", roles },
            { "is_anonymous", IsAnonymous },
            { "email", Email },
            { "parent", Parent },
            { "expires_at", ExpiresAt is { } expires ? expires.ToUnixTimeSeconds() : MsgPackValue.Nil },
            { "current_workspace", Scope.CurrentWorkspace },
            { "scope", Scope.ToMap() },
        };
    }
}
