using System.Buffers;
using System.Text.Json;

namespace Hypha.Protocol.MsgPack;

/// <summary>
/// Writes msgpack values as JSON, for the places where hypha carries them as JSON (the <c>connection_info</c> text
/// frame, and its user dict). One conversion, so the JSON and msgpack forms cannot drift apart.
/// </summary>
public static class MsgPackJson
{
    /// <summary>The JSON form of <paramref name="value"/> as a standalone element.</summary>
    /// <exception cref="NotSupportedException">A map key is not text, or the value is an extension.</exception>
    public static JsonElement ToElement(MsgPackValue value)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            Write(json, value);
        }

        using JsonDocument document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }

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
