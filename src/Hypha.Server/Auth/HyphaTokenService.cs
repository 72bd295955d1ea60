using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;

namespace Hypha.Server.Auth;

/// <summary>
/// Issues and checks the server's tokens: HS256 JWTs whose claims are <c>iss</c> ("hypha-dotnet"), <c>sub</c> (user id),
/// <c>iat</c>, <c>exp</c>, <c>kind</c> ("access" or "reconnection"), <c>scope</c> (the real hypha scope string, see
/// <see cref="UserScope"/>), <c>roles</c>, <c>email</c>, <c>is_anonymous</c>, <c>parent</c> and <c>user_exp</c> (the user's own
/// expiry, when it has one). Any holder of the same secret, in this process or a later one, accepts them.
/// </summary>
public sealed class HyphaTokenService
{
    /// <summary>The issuer written into and required from every token.</summary>
    public const string Issuer = "hypha-dotnet";

    private readonly byte[] _key;
    private readonly TimeProvider _time;

    /// <summary>Creates the service for a secret.</summary>
    /// <param name="secret">The HS256 key, as text (its UTF-8 bytes are the key).</param>
    /// <param name="time">The clock; the system clock when null.</param>
    public HyphaTokenService(string secret, TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        _key = Encoding.UTF8.GetBytes(secret);
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Signs a token for <paramref name="user"/> that is valid for <paramref name="lifetime"/> from now.</summary>
    public string Create(UserInfo user, HyphaTokenKind kind, TimeSpan lifetime)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lifetime, TimeSpan.Zero);
        DateTimeOffset now = _time.GetUtcNow();
        return Jwt.Sign(WriteClaims(new HyphaToken(kind, user, now, now + lifetime)), _key);
    }

    /// <summary>Checks a token's signature, issuer and expiry, and reads it.</summary>
    /// <param name="token">The token as the client sent it.</param>
    /// <param name="result">The token's content, when valid.</param>
    /// <param name="error">Why the token was refused, when it was.</param>
    public bool TryValidate(string token, [NotNullWhen(true)] out HyphaToken? result, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(token);
        result = null;
        byte[]? claims = Jwt.Verify(token, _key, out string verifyError);
        if (claims is null)
        {
            error = $"invalid token ({verifyError})";
            return false;
        }

        try
        {
            result = ReadClaims(claims);
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException or KeyNotFoundException)
        {
            error = "invalid token (malformed claims)";
            return false;
        }

        if (result.ExpiresAt <= _time.GetUtcNow())
        {
            result = null;
            error = "token expired";
            return false;
        }

        error = null;
        return true;
    }

    private static byte[] WriteClaims(HyphaToken token)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            UserInfo user = token.User;
            json.WriteStartObject();
            json.WriteString("iss", Issuer);
            json.WriteString("sub", user.Id);
            json.WriteNumber("iat", token.IssuedAt.ToUnixTimeSeconds());
            json.WriteNumber("exp", token.ExpiresAt.ToUnixTimeSeconds());
            json.WriteString("kind", token.Kind == HyphaTokenKind.Reconnection ? "reconnection" : "access");
            json.WriteString("scope", user.Scope.Format());
            json.WriteStartArray("roles");
            foreach (string role in user.Roles)
            {
                json.WriteStringValue(role);
            }

            json.WriteEndArray();
            json.WriteString("email", user.Email);
            json.WriteBoolean("is_anonymous", user.IsAnonymous);
            json.WriteString("parent", user.Parent);
            if (user.ExpiresAt is { } userExpiry)
            {
                json.WriteNumber("user_exp", userExpiry.ToUnixTimeSeconds());
            }

            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static HyphaToken ReadClaims(byte[] claims)
    {
        using JsonDocument document = JsonDocument.Parse(claims);
        JsonElement root = document.RootElement;
        if (root.GetProperty("iss").GetString() != Issuer)
        {
            throw new FormatException("wrong issuer");
        }

        HyphaTokenKind kind = root.GetProperty("kind").GetString() switch
        {
            "access" => HyphaTokenKind.Access,
            "reconnection" => HyphaTokenKind.Reconnection,
            _ => throw new FormatException("unknown token kind"),
        };

        var user = new UserInfo
        {
            Id = root.GetProperty("sub").GetString() ?? throw new FormatException("no subject"),
            Roles = [.. root.GetProperty("roles").EnumerateArray().Select(role => role.GetString() ?? string.Empty)],
            IsAnonymous = root.GetProperty("is_anonymous").GetBoolean(),
            Email = OptionalString(root, "email"),
            Parent = OptionalString(root, "parent"),
            ExpiresAt = root.TryGetProperty("user_exp", out JsonElement userExpiry)
                ? DateTimeOffset.FromUnixTimeSeconds(userExpiry.GetInt64())
                : null,
            Scope = UserScope.Parse(root.GetProperty("scope").GetString() ?? string.Empty),
        };
        return new HyphaToken(
            kind,
            user,
            DateTimeOffset.FromUnixTimeSeconds(root.GetProperty("iat").GetInt64()),
            DateTimeOffset.FromUnixTimeSeconds(root.GetProperty("exp").GetInt64()));
    }

    private static string? OptionalString(JsonElement root, string name) =>
        root.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
