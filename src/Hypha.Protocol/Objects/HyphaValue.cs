using System.Collections;
using System.Runtime.InteropServices;
using Hypha.Protocol.Messages;
using Hypha.Protocol.MsgPack;

namespace Hypha.Protocol.Objects;

/// <summary>
/// Maps .NET values to the hypha encoding and back, for dynamic calls: bytes travel as bin, 1-D numeric arrays as
/// <c>typedarray</c> where JavaScript has a TypedArray (else as <c>ndarray</c>), arrays of higher rank as
/// <c>ndarray</c>, and <see cref="DateTime"/> as the msgpack timestamp.
/// </summary>
public static class HyphaValue
{
    /// <summary>Encodes a .NET value.</summary>
    /// <exception cref="NotSupportedException">The value's type has no hypha encoding (functions are encoded by the
    /// RPC layer, not here), or a dictionary has a key that is not a string (Python peers reject those).</exception>
    public static MsgPackValue FromObject(object? value) => value switch
    {
        null => default,
        MsgPackValue v => v,
        HyphaObject o => o.Map,
        MsgPackMap m => m,
        string s => s,
        bool b => b,
        char c => c.ToString(),
        sbyte n => (long)n,
        byte n => (long)n,
        short n => (long)n,
        ushort n => (long)n,
        int n => n,
        uint n => n,
        long n => n,
        ulong n => n,
        float f => f,
        double d => d,
        Half h => (float)h,
        byte[] bytes => bytes,
        ReadOnlyMemory<byte> memory => memory,
        Memory<byte> memory => (ReadOnlyMemory<byte>)memory,
        ArraySegment<byte> segment => (ReadOnlyMemory<byte>)segment,
        DateTime time => time,
        DateTimeOffset time => MsgPackTimestamp.FromDateTime(time.UtcDateTime),
        MsgPackTimestamp timestamp => timestamp,
        sbyte[] items => TypedArray.Create<sbyte>(items),
        short[] items => TypedArray.Create<short>(items),
        ushort[] items => TypedArray.Create<ushort>(items),
        int[] items => TypedArray.Create<int>(items),
        uint[] items => TypedArray.Create<uint>(items),
        float[] items => TypedArray.Create<float>(items),
        double[] items => TypedArray.Create<double>(items),
        long[] items => NdArray.Create<long>(items, items.Length),
        ulong[] items => NdArray.Create<ulong>(items, items.Length),
        bool[] items => NdArray.Create<bool>(items, items.Length),
        Half[] items => NdArray.Create<Half>(items, items.Length),
        Array array when array.Rank > 1 && IsNumeric(array.GetType().GetElementType()!) => NdArray.FromArray(array),
        IDictionary dictionary => FromDictionary(dictionary),
        IEnumerable sequence => FromSequence(sequence),
        _ => throw new NotSupportedException($"Values of type {value.GetType()} have no hypha encoding."),
    };

    /// <summary>
    /// Decodes to plain .NET values: null, bool, long (ulong above long.MaxValue), float, double, string, byte[],
    /// DateTime (a timestamp outside its range stays a <see cref="MsgPackTimestamp"/>), object?[] and
    /// Dictionary&lt;string, object?&gt;. Typed arrays and 1-D ndarrays become .NET arrays of their element type;
    /// a set becomes a List of its members; other known <c>_rtype</c> objects stay typed views (the RPC layer turns
    /// methods and generators into proxies). Unknown <c>_rtype</c> maps and other extensions stay as they are.
    /// Bytes that are a whole array (what the reader makes of a bin) come back as that array, as a value holds bytes by
    /// reference; bytes that are part of a larger buffer are copied.
    /// </summary>
    /// <exception cref="HyphaProtocolException">A map has a key that is not a string, or a known object is malformed.</exception>
    public static object? ToObject(MsgPackValue value)
    {
        switch (value.Kind)
        {
            case MsgPackValueKind.Nil: return null;
            case MsgPackValueKind.Boolean: return value.AsBoolean();
            case MsgPackValueKind.Integer: return BoxedIntegers.Box(value.AsInt64());
            case MsgPackValueKind.UInt64: return value.AsUInt64();
            case MsgPackValueKind.Float32: return (float)value.AsDouble();
            case MsgPackValueKind.Float64: return value.AsDouble();
            case MsgPackValueKind.String: return value.AsString();
            case MsgPackValueKind.Binary: return WholeArray(value.AsBinary()) ?? value.AsBinary().ToArray();
            case MsgPackValueKind.Timestamp:
                MsgPackTimestamp timestamp = value.AsTimestamp();
                try
                {
                    return timestamp.ToDateTime();
                }
                catch (ArgumentOutOfRangeException)
                {
                    return timestamp;
                }

            case MsgPackValueKind.Array:
                return Array.ConvertAll(value.AsArray(), ToObject);
            case MsgPackValueKind.Map:
                return HyphaObject.Decode(value) is { } known ? FromKnown(known) : ToDictionary(value.AsMap());
            default:
                return value;
        }
    }

    private static object FromKnown(HyphaObject known) => known switch
    {
        TypedArray typed => ToArray(typed.DType, typed),
        NdArray { Shape.Length: 1 } nd when DTypes.ItemSize(nd.DType) > 0 => ToArray(nd.DType, nd),
        RemoteSet set => set.Items.Select(ToObject).ToList(),
        _ => known,
    };

    private static Array ToArray(string dtype, HyphaObject source)
    {
        return dtype switch
        {
            "int8" => Read<sbyte>(),
            "int16" => Read<short>(),
            "int32" => Read<int>(),
            "int64" => Read<long>(),
            "uint8" => Read<byte>(),
            "uint16" => Read<ushort>(),
            "uint32" => Read<uint>(),
            "uint64" => Read<ulong>(),
            "float16" => Read<Half>(),
            "float32" => Read<float>(),
            "float64" => Read<double>(),
            "bool" => Read<bool>(),
            _ => throw new HyphaProtocolException($"The element type {dtype} has no .NET counterpart."),
        };

        T[] Read<T>()
            where T : unmanaged => source is NdArray nd ? nd.ToArray<T>() : ((TypedArray)source).ToArray<T>();
    }

    private static Dictionary<string, object?> ToDictionary(MsgPackMap map)
    {
        var result = new Dictionary<string, object?>(map.Count, StringComparer.Ordinal);
        foreach (KeyValuePair<MsgPackValue, MsgPackValue> entry in map)
        {
            if (!entry.Key.TryGetString(out string? key))
            {
                throw new HyphaProtocolException($"Map keys must be strings, not {entry.Key.Kind}.");
            }

            result[key] = ToObject(entry.Value);
        }

        return result;
    }

    private static MsgPackMap FromDictionary(IDictionary dictionary)
    {
        var map = new MsgPackMap(dictionary.Count);
        foreach (DictionaryEntry entry in dictionary)
        {
            if (entry.Key is not string key)
            {
                throw new NotSupportedException($"Map keys must be strings (Python peers reject others), not {entry.Key.GetType()}.");
            }

            map.Add(key, FromObject(entry.Value));
        }

        return map;
    }

    private static MsgPackValue FromSequence(IEnumerable sequence)
    {
        var items = new List<MsgPackValue>();
        foreach (object? item in sequence)
        {
            items.Add(FromObject(item));
        }

        return items.ToArray();
    }

    private static bool IsNumeric(Type type) => type.IsPrimitive && type != typeof(char) && type != typeof(IntPtr) && type != typeof(UIntPtr) || type == typeof(Half);

    // The array itself when the bytes are all of it: copying it again would only double a large payload's memory.
    private static byte[]? WholeArray(ReadOnlyMemory<byte> bytes) =>
        MemoryMarshal.TryGetArray(bytes, out ArraySegment<byte> segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : null;
}
