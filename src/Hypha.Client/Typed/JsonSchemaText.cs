using System.Text.Json;
using Hypha.Protocol.MsgPack;

namespace Hypha.Client.Typed;

/// <summary>JSON text (the generated function schemas) as the msgpack maps hypha's <c>service_schema</c> holds.</summary>
internal static class JsonSchemaText
{
    public static MsgPackMap Parse(string json)
    {
        using JsonDocument document = JsonDocument.Parse(json);
        return ToValue(document.RootElement).AsMap();
    }

    private static MsgPackValue ToValue(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => ToMap(element),
        JsonValueKind.Array => element.EnumerateArray().Select(ToValue).ToArray(),
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number when element.TryGetInt64(out long whole) => whole,
        JsonValueKind.Number => element.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => MsgPackValue.Nil,
    };

    private static MsgPackMap ToMap(JsonElement element)
    {
        var map = new MsgPackMap();
        foreach (JsonProperty property in element.EnumerateObject())
        {
            map.Add(property.Name, ToValue(property.Value));
        }

        return map;
    }
}
