using System.Text.Json;
using Hypha.Protocol.MsgPack;
using Hypha.Server.Connections;

namespace Hypha.Server.Handshake;

/// <summary>
/// The authentication frame a client sends first (hypha-protocol.md 1.2). Every field may be missing or null (the
/// JavaScript client drops undefined keys, the Python client sends null); keys the server does not use are ignored.
/// </summary>
/// <param name="ClientId">The requested client id, or null for a generated one.</param>
/// <param name="Workspace">The requested workspace, or null for the default one.</param>
/// <param name="Token">An access token, or null.</param>
/// <param name="ReconnectionToken">A reconnection token from an earlier <c>connection_info</c>, or null.</param>
internal sealed record HandshakeRequest(string? ClientId, string? Workspace, string? Token, string? ReconnectionToken)
{
    /// <summary>Parses the frame's UTF-8 JSON.</summary>
    /// <exception cref="HandshakeRejectedException">Not a JSON object, or a known field is neither text nor null (close 1003).</exception>
    public static HandshakeRequest Parse(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            using JsonDocument document = JsonDocument.ParseValue(ref reader);
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Malformed("the authentication payload must be a JSON object");
            }

            return new HandshakeRequest(
                Field(root, "client_id"),
                Field(root, "workspace"),
                Field(root, "token"),
                Field(root, "reconnection_token"));
        }
        catch (JsonException ex)
        {
            throw Malformed($"the authentication payload is not valid JSON ({ex.Message})");
        }
    }

    /// <summary>Reads the <c>auth</c> map of a native Hello: the same fields, with the same rules.</summary>
    /// <exception cref="HandshakeRejectedException">A known field is neither text nor nil.</exception>
    public static HandshakeRequest FromMap(MsgPackMap auth)
    {
        string? Text(string name)
        {
            if (!auth.TryGetValue(name, out MsgPackValue value) || value.IsNil)
            {
                return null;
            }

            return value.TryGetString(out string? text)
                ? text is { Length: > 0 } ? text : null
                : throw Malformed($"'{name}' must be a string or nil");
        }

        return new HandshakeRequest(Text("client_id"), Text("workspace"), Text("token"), Text("reconnection_token"));
    }

    // An empty string is as good as absent: some clients send "" for "not set".
    private static string? Field(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString() is { Length: > 0 } text ? text : null
            : throw Malformed($"'{name}' must be a string or null");
    }

    private static HandshakeRejectedException Malformed(string message) =>
        new(CloseCodes.UnsupportedData, $"Invalid authentication payload: {message}");
}
