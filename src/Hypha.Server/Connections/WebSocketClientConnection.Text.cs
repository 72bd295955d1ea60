using System.Text;
using System.Text.Json;

namespace Hypha.Server.Connections;

internal sealed partial class WebSocketClientConnection
{
    // The real server ignores longer text messages: the only valid ones are tiny control messages.
    private const int MaxTextCharacters = 1000;

    // Text after the handshake is control only: ping and refresh_token. Anything else is logged and ignored.
    private async ValueTask HandleTextAsync(ReadOnlyMemory<byte> utf8)
    {
        // UTF-8 never has fewer bytes than characters, so only long messages need counting.
        if (utf8.Length > MaxTextCharacters && Encoding.UTF8.GetCharCount(utf8.Span) > MaxTextCharacters)
        {
            Log.TextIgnored(Services.Logger, Address, utf8.Length);
            return;
        }

        switch (ReadType(utf8.Span))
        {
            case "ping":
                await SendAsync(OutboundFrame.Text(ServerTextMessages.Pong)).ConfigureAwait(false);
                break;
            case "refresh_token":
                await SendAsync(OutboundFrame.Text(ServerTextMessages.ReconnectionToken(NewReconnectionToken()))).ConfigureAwait(false);
                break;
            case { } other:
                Log.UnknownText(Services.Logger, Address, other);
                break;
            default:
                Log.TextIgnored(Services.Logger, Address, utf8.Length);
                break;
        }
    }

    // The "type" of a JSON object, or null when the text is not an object with a string type.
    private static string? ReadType(ReadOnlySpan<byte> utf8)
    {
        try
        {
            var reader = new Utf8JsonReader(utf8);
            using JsonDocument document = JsonDocument.ParseValue(ref reader);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("type", out JsonElement type)
                && type.ValueKind == JsonValueKind.String
                ? type.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
