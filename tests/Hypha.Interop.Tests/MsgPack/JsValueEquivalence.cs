using System.Globalization;
using System.Numerics;
using Hypha.Protocol.MsgPack;

namespace Hypha.Interop.Tests.MsgPack;

/// <summary>
/// Decides whether a value that went through the JavaScript peer (<c>msgpack-peer.mjs echo</c>, @msgpack/msgpack
/// with <c>useBigInt64</c>) still is the value we sent, under JavaScript number semantics
/// (tests/interop/js/README.md):
/// <list type="bullet">
/// <item>a float (32 or 64) may come back as an integer when it is a whole number (JS writes safe integers in
/// [-2^31, 2^32) as ints), and -0.0 may come back as the integer 0;</item>
/// <item>a float 32 may come back as a float 64 of the same numeric value (JS has no float 32);</item>
/// <item>an integer may change between <see cref="MsgPackValueKind.Integer"/> and <see cref="MsgPackValueKind.UInt64"/>
/// (a positive int64 may come back as uint64) but keeps its exact value; NaN equals NaN.</item>
/// </list>
/// Everything else must be exactly equal: nil, booleans, strings (ordinal), binary bytes, extension type and bytes,
/// timestamps (seconds and nanoseconds), array lengths and elements, map entries in the same order.
/// </summary>
internal static class JsValueEquivalence
{
    /// <summary>Null when <paramref name="actual"/> is equivalent to <paramref name="expected"/>, else where and how it differs.</summary>
    public static string? Difference(MsgPackValue expected, MsgPackValue actual, string path = "")
    {
        if (expected.IsFloat)
        {
            return FloatDifference(expected, actual, path);
        }

        if (expected.IsInteger)
        {
            return actual.IsInteger && IntegerValue(actual) == IntegerValue(expected) ? null : Describe(path, expected, actual);
        }

        if (actual.Kind != expected.Kind)
        {
            return Describe(path, expected, actual);
        }

        switch (expected.Kind)
        {
            case MsgPackValueKind.Array:
                MsgPackValue[] want = expected.AsArray();
                MsgPackValue[] got = actual.AsArray();
                if (want.Length != got.Length)
                {
                    return $"at {Show(path)}: expected an array of {want.Length}, got an array of {got.Length}";
                }

                for (int i = 0; i < want.Length; i++)
                {
                    if (Difference(want[i], got[i], $"{path}[{i}]") is { } difference)
                    {
                        return difference;
                    }
                }

                return null;
            case MsgPackValueKind.Map:
                MsgPackMap wantMap = expected.AsMap();
                MsgPackMap gotMap = actual.AsMap();
                if (wantMap.Count != gotMap.Count)
                {
                    return $"at {Show(path)}: expected a map of {wantMap.Count}, got a map of {gotMap.Count}";
                }

                for (int i = 0; i < wantMap.Count; i++)
                {
                    string entryPath = $"{path}{{{KeyLabel(wantMap[i].Key)}}}";
                    if (Difference(wantMap[i].Key, gotMap[i].Key, $"{path}<key #{i}>") is { } keyDifference)
                    {
                        return keyDifference;
                    }

                    if (Difference(wantMap[i].Value, gotMap[i].Value, entryPath) is { } valueDifference)
                    {
                        return valueDifference;
                    }
                }

                return null;
            default:
                // Nil, Boolean, String, Binary, Extension, Timestamp: MsgPackValue.Equals is exact for these.
                return expected.Equals(actual) ? null : Describe(path, expected, actual);
        }
    }

    private static string? FloatDifference(MsgPackValue expected, MsgPackValue actual, string path)
    {
        expected.TryGetDouble(out double want); // a float 32 widens exactly
        if (double.IsNaN(want))
        {
            return actual.IsFloat && actual.TryGetDouble(out double nan) && double.IsNaN(nan) ? null : Describe(path, expected, actual);
        }

        if (actual.IsFloat)
        {
            actual.TryGetDouble(out double got);
            // Same numeric value and the same sign of zero (a float that stays a float keeps its sign).
            return BitConverter.DoubleToInt64Bits(got) == BitConverter.DoubleToInt64Bits(want) ? null : Describe(path, expected, actual);
        }

        if (actual.IsInteger)
        {
            // Only a whole number may turn into an int, and then exactly (-0.0 becomes 0).
            return double.IsFinite(want) && Math.Floor(want) == want && new BigInteger(want) == IntegerValue(actual)
                ? null
                : Describe(path, expected, actual);
        }

        return Describe(path, expected, actual);
    }

    // Exact for every long and ulong; the caller has checked IsInteger.
    private static BigInteger IntegerValue(MsgPackValue value) =>
        value.Kind == MsgPackValueKind.UInt64 ? (BigInteger)value.AsUInt64() : (BigInteger)value.AsInt64();

    private static string KeyLabel(MsgPackValue key) =>
        key.TryGetString(out string? name) ? (name.Length <= 24 ? name : name[..24] + "…") : key.ToString();

    private static string Describe(string path, MsgPackValue expected, MsgPackValue actual) =>
        $"at {Show(path)}: expected {expected.Kind} {Preview(expected)}, got {actual.Kind} {Preview(actual)}";

    private static string Show(string path) => path.Length == 0 ? "<root>" : path;

    private static string Preview(MsgPackValue value)
    {
        string text = value.Kind switch
        {
            MsgPackValueKind.Array => $"<array of {value.AsArray().Length}>",
            MsgPackValueKind.Map => $"<map of {value.AsMap().Count}>",
            MsgPackValueKind.String => $"<string of {value.AsString().Length} chars> \"{value.AsString()}\"",
            MsgPackValueKind.Float64 => value.AsDouble().ToString("R", CultureInfo.InvariantCulture)
                + $" (0x{BitConverter.DoubleToInt64Bits(value.AsDouble()):x16})",
            _ => value.ToString(),
        };
        return text.Length <= 200 ? text : text[..200] + "…";
    }
}
