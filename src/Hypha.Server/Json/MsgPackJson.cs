using System.Text.Json;
using Hypha.Protocol.MsgPack;

namespace Hypha.Server.Json;

/// <summary>
/// Writes msgpack values as JSON, for the text frames that carry them (the user dict in <c>connection_info</c>).
/// The user dict is the one source of truth, so the JSON and msgpack forms cannot drift apart.
/// </summary>
internal static class MsgPackJson
{
    /// <summary>Writes <paramref name="value"/>: maps with string keys become objects, bytes become base64.</summary>
    /// <exception cref="NotSupportedException">A map key is not text, or the value is an extension.</exception>
    public static void Write(Utf8JsonWriter json, MsgPackValue value)
    {
        switch (value.Kind)
        {
            case MsgPackValueKind.Nil:
                json.WriteNullValue();
                break;
            case MsgPackValueKind.Boolean:
                json.WriteBooleanValue(value.AsBoolean());
                break;
            case MsgPackValueKind.Integer:
                json.WriteNumberValue(value.AsInt64());
                break;
            case MsgPackValueKind.UInt64:
                json.WriteNumberValue(value.AsUInt64());
                break;
            case MsgPackValueKind.Float32 or MsgPackValueKind.Float64:
                json.WriteNumberValue(value.AsDouble());
                break;
            case MsgPackValueKind.String:
                json.WriteStringValue(value.AsString());
                break;
            case MsgPackValueKind.Binary:
                json.WriteBase64StringValue(value.AsBinary().Span);
                break;
            case MsgPackValueKind.Array:
                json.WriteStartArray();
                foreach (MsgPackValue item in value.AsArray())
                {
                    Write(json, item);
                }

                json.WriteEndArray();
                break;
            case MsgPackValueKind.Map:
                json.WriteStartObject();
                foreach (KeyValuePair<MsgPackValue, MsgPackValue> entry in value.AsMap())
                {
                    string key = entry.Key.TryGetString(out string? name)
                        ? name
                        : throw new NotSupportedException($"A JSON object key must be text, not {entry.Key.Kind}.");
                    json.WritePropertyName(key);
                    Write(json, entry.Value);
                }

                json.WriteEndObject();
                break;
            default:
                throw new NotSupportedException($"A {value.Kind} value has no JSON form.");
        }
    }
}
