namespace Hypha.Server.Workspaces;

/// <summary>The connected client on whose behalf the registry changes services (from the trusted <c>ctx</c>).</summary>
/// <param name="Workspace">The caller's workspace (<c>ctx.ws</c>).</param>
/// <param name="ClientId">The caller's client id, without the workspace (the part after <c>/</c> in <c>ctx.from</c>).</param>
/// <param name="UserId">The caller's user id (<c>ctx.user.id</c>), recorded as <c>config.created_by</c>; null if unknown.</param>
public sealed record ConnectedCaller(string Workspace, string ClientId, string? UserId = null);
