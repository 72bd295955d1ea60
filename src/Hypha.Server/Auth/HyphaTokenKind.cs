namespace Hypha.Server.Auth;

/// <summary>What a token may be used for.</summary>
public enum HyphaTokenKind
{
    /// <summary>An access token, presented as <c>token</c>: it proves who the user is and which workspaces it may join.</summary>
    Access,

    /// <summary>
    /// A reconnection token, handed out in <c>connection_info</c>: it lets one client (<c>cid</c>) rejoin one workspace
    /// (<c>wid</c>) as the same user. It is refused as an access token.
    /// </summary>
    Reconnection,
}
