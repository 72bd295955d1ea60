using System.Globalization;
using System.Numerics;
using System.Text.Json;
using Hypha.Protocol.MsgPack;

namespace Hypha.Interop.Tests.MsgPack;

/// <summary>
/// Compares a decoded <see cref="MsgPackValue"/> with the typed expectation of a msgpack-test-suite case.
/// Returns null when they match, else a message naming the path inside the value and both sides.
/// </summary>
internal static class SuiteExpectation
{
    private const byte Float32Code = 0xca;
    private const byte Float64Code = 0xcb;

    /// <summary>Checks the decoding of <paramref name="encoding"/>, one of the encodings of <paramref name="testCase"/>.</summary>
    public static string? Mismatch(SuiteCase testCase, ReadOnlySpan<byte> encoding, MsgPackValue actual)
    {
        JsonElement expected = testCase.Value;
        switch (testCase.ValueKey)
        {
            case "number":
            case "bignum":
                // A number's kind follows its wire format: float 32 / float 64 formats give floats, the others ints.
                BigInteger? whole = testCase.ValueKey == "bignum"
                    ? BigInteger.Parse(expected.GetString()!, CultureInfo.InvariantCulture)
                    : ParseWholeNumber(expected);
                MsgPackValueKind? floatKind = encoding[0] switch
                {
                    Float32Code => MsgPackValueKind.Float32,
                    Float64Code => MsgPackValueKind.Float64,
                    _ => null,
                };
                if (floatKind is { } kind)
                {
                    double value = whole is { } w ? (double)w : expected.GetDouble();
                    if (whole is { } exact && (BigInteger)value != exact)
                    {
                        return $"test bug: {exact} is not exact in a double";
                    }

                    return actual.Kind == kind && actual.TryGetDouble(out double got) && got.Equals(value)
                        ? null
                        : Describe("", $"{kind} {value.ToString("R", CultureInfo.InvariantCulture)}", actual);
                }

                if (whole is null)
                {
                    return $"test bug: the fractional number {expected.GetRawText()} has the integer encoding {MsgPackTestSuite.BytesToHex(encoding)}";
                }

                return IntegerMismatch("", whole.Value, actual);
            case "timestamp":
                var timestamp = new MsgPackTimestamp(expected[0].GetInt64(), expected[1].GetUInt32());
                return actual.Kind == MsgPackValueKind.Timestamp && actual.AsTimestamp() == timestamp
                    ? null
                    : Describe("", $"Timestamp {timestamp}", actual);
            case "ext":
                sbyte type = checked((sbyte)expected[0].GetInt32());
                byte[] data = MsgPackTestSuite.HexToBytes(expected[1].GetString()!);
                if (actual.Kind != MsgPackValueKind.Extension)
                {
                    return Describe("", $"Extension {type} {Convert.ToHexString(data)}", actual);
                }

                (sbyte actualType, ReadOnlyMemory<byte> actualData) = actual.AsExtension();
                return actualType == type && actualData.Span.SequenceEqual(data)
                    ? null
                    : Describe("", $"Extension {type} {Convert.ToHexString(data)}", actual);
            case "binary":
                byte[] bytes = MsgPackTestSuite.HexToBytes(expected.GetString()!);
                return actual.Kind == MsgPackValueKind.Binary && actual.AsBinary().Span.SequenceEqual(bytes)
                    ? null
                    : Describe("", $"Binary {Convert.ToHexString(bytes)}", actual);
            case "nil":
            case "bool":
            case "string":
            case "array":
            case "map":
                return JsonMismatch("", expected, actual);
            default:
                return $"test bug: unknown value key \"{testCase.ValueKey}\" in {testCase.Name}";
        }
    }

    // The JSON-typed part of the dataset: null, booleans, strings, arrays and string-keyed maps, whose elements are
    // numbers (compared by value, any numeric kind: the re-encoding test pins down the kind), strings, arrays and maps.
    private static string? JsonMismatch(string path, JsonElement expected, MsgPackValue actual)
    {
        switch (expected.ValueKind)
        {
            case JsonValueKind.Null:
                return actual.IsNil ? null : Describe(path, "Nil", actual);
            case JsonValueKind.True:
            case JsonValueKind.False:
                bool flag = expected.GetBoolean();
                return actual.Kind == MsgPackValueKind.Boolean && actual.AsBoolean() == flag
                    ? null
                    : Describe(path, $"Boolean {flag}", actual);
            case JsonValueKind.String:
                string text = expected.GetString()!;
                return actual.TryGetString(out string? got) && string.Equals(got, text, StringComparison.Ordinal)
                    ? null
                    : Describe(path, $"String \"{text}\"", actual);
            case JsonValueKind.Number:
                if (ParseWholeNumber(expected) is { } whole && actual.IsInteger)
                {
                    return IntegerMismatch(path, whole, actual);
                }

                double number = expected.GetDouble();
                return actual.TryGetDouble(out double value) && value.Equals(number)
                    ? null
                    : Describe(path, $"number {expected.GetRawText()}", actual);
            case JsonValueKind.Array:
                if (!actual.TryGetArray(out MsgPackValue[]? items))
                {
                    return Describe(path, $"Array of {expected.GetArrayLength()}", actual);
                }

                if (items.Length != expected.GetArrayLength())
                {
                    return Describe(path, $"Array of {expected.GetArrayLength()}", actual);
                }

                int i = 0;
                foreach (JsonElement element in expected.EnumerateArray())
                {
                    if (JsonMismatch($"{path}[{i}]", element, items[i]) is { } error)
                    {
                        return error;
                    }

                    i++;
                }

                return null;
            case JsonValueKind.Object:
                JsonProperty[] entries = expected.EnumerateObject().ToArray();
                if (!actual.TryGetMap(out MsgPackMap? map) || map.Count != entries.Length)
                {
                    return Describe(path, $"Map of {entries.Length}", actual);
                }

                for (int e = 0; e < entries.Length; e++)
                {
                    KeyValuePair<MsgPackValue, MsgPackValue> entry = map[e];
                    if (!entry.Key.TryGetString(out string? key) || key != entries[e].Name)
                    {
                        return Describe($"{path}.<key {e}>", $"String \"{entries[e].Name}\"", entry.Key);
                    }

                    if (JsonMismatch($"{path}.{key}", entries[e].Value, entry.Value) is { } error)
                    {
                        return error;
                    }
                }

                return null;
            default:
                return $"test bug: unexpected JSON {expected.ValueKind} at {path}";
        }
    }

    // Integers: the value must be exact, and the kind must be the model's: Integer up to long.MaxValue, UInt64 above.
    private static string? IntegerMismatch(string path, BigInteger expected, MsgPackValue actual)
    {
        MsgPackValueKind kind = expected > long.MaxValue ? MsgPackValueKind.UInt64 : MsgPackValueKind.Integer;
        BigInteger? got = actual.Kind switch
        {
            MsgPackValueKind.Integer => actual.AsInt64(),
            MsgPackValueKind.UInt64 => actual.AsUInt64(),
            _ => null,
        };
        return actual.Kind == kind && got == expected ? null : Describe(path, $"{kind} {expected}", actual);
    }

    // A JSON number without fraction or exponent, as an exact integer; null for a fractional number.
    private static BigInteger? ParseWholeNumber(JsonElement number)
    {
        string raw = number.GetRawText();
        return raw.AsSpan().IndexOfAny(".eE") >= 0 ? null : BigInteger.Parse(raw, CultureInfo.InvariantCulture);
    }

    private static string Describe(string path, string expected, MsgPackValue actual) =>
        $"at {(path.Length == 0 ? "<root>" : path)}: expected {expected}, decoded {actual.Kind} {actual}";
}
