using System.Security.Cryptography;
using System.Text;

namespace Hypha.Protocol.WebSocketFrames;

/// <summary>The opening handshake's arithmetic (RFC 6455 §4.2): the client's key and the server's accept value.</summary>
public static class WebSocketHandshake
{
    /// <summary>The only protocol version, as sent in <c>Sec-WebSocket-Version</c>.</summary>
    public const string Version = "13";

    // Appended to the client's key before hashing (RFC 6455 §1.3).
    private const string KeyGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    /// <summary>True when <paramref name="key"/> is the base64 form of 16 bytes, as <c>Sec-WebSocket-Key</c> must be.</summary>
    public static bool IsValidKey(string? key)
    {
        if (key is null || key.Length != 24)
        {
            return false;
        }

        Span<byte> decoded = stackalloc byte[18];
        return Convert.TryFromBase64String(key, decoded, out int written) && written == 16;
    }

    /// <summary>The <c>Sec-WebSocket-Accept</c> value for a client's <c>Sec-WebSocket-Key</c>.</summary>
    public static string ComputeAccept(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        Span<byte> hash = stackalloc byte[SHA1.HashSizeInBytes];
        SHA1.HashData(Encoding.ASCII.GetBytes(key + KeyGuid), hash);
        return Convert.ToBase64String(hash);
    }
}
