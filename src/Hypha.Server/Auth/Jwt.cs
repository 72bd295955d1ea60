using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Hypha.Server.Auth;

/// <summary>
/// Compact JSON Web Tokens signed with HMAC-SHA256, the only algorithm the server issues or accepts. The claims
/// stay raw JSON here; <see cref="HyphaTokenService"/> gives them meaning.
/// </summary>
internal static class Jwt
{
    // Fixed header: the server only ever signs with HS256, so the header never varies.
    private static readonly string EncodedHeader = Base64Url.EncodeToString("""{"alg":"HS256","typ":"JWT"}"""u8);

    /// <summary>Signs a claims document.</summary>
    public static string Sign(ReadOnlySpan<byte> claimsJson, byte[] key)
    {
        string signingInput = $"{EncodedHeader}.{Base64Url.EncodeToString(claimsJson)}";
        byte[] signature = HMACSHA256.HashData(key, Encoding.ASCII.GetBytes(signingInput));
        return $"{signingInput}.{Base64Url.EncodeToString(signature)}";
    }

    /// <summary>
    /// Checks a token's shape, algorithm and signature and returns its claims document, or null with the reason.
    /// Expiry is the caller's business: it needs the claims.
    /// </summary>
    public static byte[]? Verify(string token, byte[] key, out string error)
    {
        string[] parts = token.Split('.');
        if (parts.Length != 3)
        {
            error = "not a JWT";
            return null;
        }

        byte[]? header = TryDecode(parts[0]);
        byte[]? claims = TryDecode(parts[1]);
        byte[]? signature = TryDecode(parts[2]);
        if (header is null || claims is null || signature is null)
        {
            error = "not a JWT";
            return null;
        }

        // Checking alg before the signature refuses "none" and every algorithm-confusion trick outright.
        if (!IsHs256(header))
        {
            error = "unsupported signing algorithm";
            return null;
        }

        byte[] expected = HMACSHA256.HashData(key, Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}"));
        if (!CryptographicOperations.FixedTimeEquals(expected, signature))
        {
            error = "bad signature";
            return null;
        }

        error = string.Empty;
        return claims;
    }

    private static byte[]? TryDecode(string part)
    {
        try
        {
            return Base64Url.DecodeFromChars(part);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static bool IsHs256(byte[] header)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(header);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("alg", out JsonElement alg)
                && alg.ValueKind == JsonValueKind.String
                && alg.GetString() == "HS256";
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
