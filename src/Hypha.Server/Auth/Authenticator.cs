using Hypha.Server.Connections;
using Hypha.Server.Handshake;

namespace Hypha.Server.Auth;

/// <summary>
/// Decides who a new connection is and which workspace it joins (the rules are in docs/hypha-server.md):
/// a reconnection token restores its client exactly; an access token admits the user to its own workspace and to
/// every workspace its scope names; without either, the connection gets a new anonymous user and that user's
/// own workspace.
/// </summary>
internal sealed class Authenticator
{
    private readonly HyphaTokenService _tokens;

    /// <summary>Creates the authenticator.</summary>
    public Authenticator(HyphaTokenService tokens)
    {
        _tokens = tokens;
    }

    /// <summary>Authenticates a handshake.</summary>
    /// <exception cref="HandshakeRejectedException">The credentials or the requested names are refused (close 1008).</exception>
    public AuthenticatedIdentity Authenticate(HandshakeRequest request)
    {
        if (request.ReconnectionToken is not null)
        {
            return Reconnect(request, request.ReconnectionToken);
        }

        UserInfo user = request.Token is not null ? FromAccessToken(request.Token) : NewAnonymousUser();
        string clientId = request.ClientId ?? user.Scope.ClientId ?? Identifiers.NewClientId();
        if (user.Scope.ClientId is { } boundClient && boundClient != clientId)
        {
            throw Refuse($"The token is bound to client '{boundClient}', not '{clientId}'.");
        }

        string workspace = request.Workspace ?? user.Scope.CurrentWorkspace ?? user.OwnWorkspace;
        CheckName("client id", clientId);
        CheckName("workspace", workspace);

        var workspaces = new Dictionary<string, string>(user.Scope.Workspaces, StringComparer.Ordinal)
        {
            [user.OwnWorkspace] = WorkspacePermission.Admin,
        };
        if (!workspaces.ContainsKey(workspace))
        {
            throw Refuse(user.IsAnonymous
                ? $"Permission denied for workspace {workspace}: an anonymous user may only join its own workspace; connect with a token to join another."
                : $"Permission denied for workspace {workspace}: the token does not grant it.");
        }

        UserInfo joined = user with { Scope = user.Scope with { Workspaces = workspaces, ClientId = clientId, CurrentWorkspace = workspace } };
        return new AuthenticatedIdentity(joined, workspace, clientId, IsReconnection: false);
    }

    private AuthenticatedIdentity Reconnect(HandshakeRequest request, string token)
    {
        if (!_tokens.TryValidate(token, out HyphaToken? content, out string? error))
        {
            throw Refuse($"Invalid reconnection token: {error}.");
        }

        UserScope scope = content.User.Scope;
        if (content.Kind != HyphaTokenKind.Reconnection || scope.ClientId is null || scope.CurrentWorkspace is null)
        {
            throw Refuse("Invalid reconnection token: it is not a reconnection token.");
        }

        if (request.ClientId is { } clientId && clientId != scope.ClientId)
        {
            throw Refuse($"Invalid reconnection token: it was issued to client '{scope.ClientId}', not '{clientId}'.");
        }

        if (request.Workspace is { } workspace && workspace != scope.CurrentWorkspace)
        {
            throw Refuse($"Invalid reconnection token: it was issued for workspace '{scope.CurrentWorkspace}', not '{workspace}'.");
        }

        return new AuthenticatedIdentity(content.User, scope.CurrentWorkspace, scope.ClientId, IsReconnection: true);
    }

    private UserInfo FromAccessToken(string token)
    {
        if (!_tokens.TryValidate(token, out HyphaToken? content, out string? error))
        {
            throw Refuse($"Invalid token: {error}.");
        }

        if (content.Kind != HyphaTokenKind.Access)
        {
            throw Refuse("Invalid token: a reconnection token must be sent as reconnection_token.");
        }

        // The user dict reports when the credentials end: the user's own expiry, or else the token's.
        return content.User with { ExpiresAt = content.User.ExpiresAt ?? content.ExpiresAt };
    }

    private static UserInfo NewAnonymousUser() => new()
    {
        Id = $"anonymouz-{Identifiers.NewLowercase(16)}",
        Roles = [UserInfo.AnonymousRole],
        IsAnonymous = true,
        Scope = new UserScope(new Dictionary<string, string>(), null, null, []),
    };

    private static void CheckName(string what, string value)
    {
        if (Identifiers.Problem(value) is { } problem)
        {
            throw Refuse($"Invalid {what} '{value}': {problem}.");
        }
    }

    private static HandshakeRejectedException Refuse(string message) => new(CloseCodes.PolicyViolation, message);
}
