using System.Text.Json;
using Hypha.Protocol.MsgPack;

namespace Hypha.Client.Connection;

/// <summary>The server's <c>connection_info</c> answer to the handshake.</summary>
public sealed record ConnectionInfo
{
    /// <summary>The workspace the client joined.</summary>
    public required string Workspace { get; init; }

    /// <summary>The manager's id; its address is <c>*/&lt;ManagerId&gt;</c>.</summary>
    public required string ManagerId { get; init; }

    /// <summary>The client id the server confirmed.</summary>
    public required string ClientId { get; init; }

    /// <summary>The server's public base URL (stamped as <c>_rserver</c> on every function handed out).</summary>
    public required string PublicBaseUrl { get; init; }

    /// <summary>The hypha version the server reports.</summary>
    public string? HyphaVersion { get; init; }

    /// <summary>The token that lets this client reconnect as itself.</summary>
    public string? ReconnectionToken { get; init; }

    /// <summary>How long the reconnection token is valid.</summary>
    public TimeSpan? ReconnectionTokenLifetime { get; init; }

    /// <summary>The user the server authenticated, as JSON.</summary>
    public JsonElement? User { get; init; }

    /// <summary>Reads the <c>connection_info</c> map of a native HelloAck: the same fields as the JSON message.</summary>
    /// <exception cref="HyphaConnectionException">A required field is missing, or the map has no JSON form.</exception>
    public static ConnectionInfo FromMap(MsgPackMap map, string requestedClientId)
    {
        JsonElement json;
        try
        {
            json = MsgPackJson.ToElement(map);
        }
        catch (NotSupportedException ex)
        {
            throw new HyphaConnectionException($"The server's connection_info is not plain data: {ex.Message}", ex);
        }

        return Parse(json, requestedClientId);
    }

    /// <summary>Reads <c>connection_info</c>.</summary>
    /// <exception cref="HyphaConnectionException">A required field is missing.</exception>
    public static ConnectionInfo Parse(JsonElement root, string requestedClientId)
    {
        string Required(string name) => root.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new HyphaConnectionException($"The server's connection_info lacks '{name}'.");
        string? Optional(string name) => root.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

        return new ConnectionInfo
        {
            Workspace = Required("workspace"),
            ManagerId = Required("manager_id"),
            ClientId = Optional("client_id") ?? requestedClientId,
            PublicBaseUrl = Optional("public_base_url") ?? string.Empty,
            HyphaVersion = Optional("hypha_version"),
            ReconnectionToken = Optional("reconnection_token"),
            ReconnectionTokenLifetime = root.TryGetProperty("reconnection_token_life_time", out JsonElement life) && life.TryGetDouble(out double seconds)
                ? TimeSpan.FromSeconds(seconds)
                : null,
            User = root.TryGetProperty("user", out JsonElement user) ? user.Clone() : null,
        };
    }
}
