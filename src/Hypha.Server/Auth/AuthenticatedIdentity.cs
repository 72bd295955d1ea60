namespace Hypha.Server.Auth;

/// <summary>Who a new connection is and where it joins, once authenticated.</summary>
/// <param name="User">The user, with its scope bound to <paramref name="ClientId"/> and <paramref name="Workspace"/>.</param>
/// <param name="Workspace">The workspace the client joins.</param>
/// <param name="ClientId">The client id (requested or generated).</param>
/// <param name="IsReconnection">True when a valid reconnection token was presented: an existing connection with the
/// same address is replaced instead of refused.</param>
internal sealed record AuthenticatedIdentity(UserInfo User, string Workspace, string ClientId, bool IsReconnection);
