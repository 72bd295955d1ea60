using System.Buffers;
using System.Text.Json;
using Hypha.Protocol.MsgPack;

namespace Hypha.Server.Connections;

/// <summary>The JSON text frames the server sends (hypha-protocol.md 1.2 and 1.3), as UTF-8 bytes.</summary>
internal static class ServerTextMessages
{
    private static readonly byte[] PongBytes = """{"type":"pong"}"""u8.ToArray();

    /// <summary><c>{"type":"pong"}</c>, the answer to a text ping.</summary>
    public static ReadOnlyMemory<byte> Pong => PongBytes;

    /// <summary><c>{"type":"error","message":...}</c>, sent before a close for a reason.</summary>
    public static byte[] Error(string message) => Build(json =>
    {
        json.WriteString("type", "error");
        json.WriteString("message", message);
    });

    /// <summary><c>{"type":"reconnection_token","reconnection_token":...}</c>, the answer to <c>refresh_token</c>.</summary>
    public static byte[] ReconnectionToken(string token) => Build(json =>
    {
        json.WriteString("type", "reconnection_token");
        json.WriteString("reconnection_token", token);
    });

    /// <summary>The <c>connection_info</c> frame that completes a handshake, with every field the real server sends.</summary>
    public static byte[] ConnectionInfo(ConnectionInfoFields fields) => Build(json =>
    {
        // The fields of the native HelloAck's map, in the same order: one list of what connection_info holds.
        json.WriteString("type", "connection_info");
        foreach (KeyValuePair<MsgPackValue, MsgPackValue> field in fields.ToMap())
        {
            json.WritePropertyName(field.Key.AsString());
            MsgPackJson.Write(json, field.Value);
        }
    });

    private static byte[] Build(Action<Utf8JsonWriter> writeProperties)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            writeProperties(json);
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
