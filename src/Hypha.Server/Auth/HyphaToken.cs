namespace Hypha.Server.Auth;

/// <summary>The content of a token the server signed: a snapshot of a user, what the token is for, and its lifetime.</summary>
/// <param name="Kind">What the token may be used for.</param>
/// <param name="User">The user, with the scope the token grants.</param>
/// <param name="IssuedAt">When it was signed.</param>
/// <param name="ExpiresAt">When it stops being valid.</param>
public sealed record HyphaToken(HyphaTokenKind Kind, UserInfo User, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt);
