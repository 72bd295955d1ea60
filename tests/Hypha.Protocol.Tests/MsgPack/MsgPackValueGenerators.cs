using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Hypha.Protocol.MsgPack;

namespace Hypha.Protocol.Tests.MsgPack;

/// <summary>
/// FsCheck generators of arbitrary <see cref="MsgPackValue"/> trees: every kind, nesting up to a few levels, map keys
/// of any kind with duplicates, and lengths at every encoding boundary.
/// </summary>
internal static class MsgPackValueGenerators
{
    private const int MaxNesting = 6;

    private static readonly int[] SmallEdgeLengths = [0, 1, 15, 16, 31, 32, 255, 256];

    private static readonly int[] LargeEdgeLengths = [65535, 65536];

    private static readonly long[] EdgeIntegers =
    [
        0, 1, 127, 128, 255, 256, 65535, 65536, uint.MaxValue, 1L << 32, long.MaxValue,
        -1, -32, -33, -128, -129, -32768, -32769, int.MinValue, int.MinValue - 1L, long.MinValue,
    ];

    private static readonly long[] EdgeSeconds =
    [
        0, 1, uint.MaxValue, 1L << 32, (1L << 34) - 1, 1L << 34, -1, -62_135_596_800, 253_402_300_799,
        long.MinValue, long.MaxValue,
    ];

    // Characters of 1, 2 and 3 UTF-8 bytes, and surrogate pairs (4 bytes); never a lone surrogate.
    private static readonly string[] TextPieces = ["a", "Z", " ", "\0", "é", "ß", "€", "中", "\uFFFD", "\uFEFF", "😀", "𝄞"];

    /// <summary>Any value tree, sized by FsCheck's size parameter.</summary>
    public static Gen<MsgPackValue> Value { get; } = Gen.Sized(size => Tree(Math.Min(size, 60), 0));

    /// <summary>The arbitrary for property tests, with a shrinker towards subtrees and shorter collections.</summary>
    public static Arbitrary<MsgPackValue> Arbitrary { get; } = Arb.From(Value, Shrink);

    public static Gen<MsgPackValue> Scalar { get; } = Gen.Frequency(
        (2, Gen.Constant(MsgPackValue.Nil)),
        (2, Gen.Elements(true, false).Select(b => (MsgPackValue)b)),
        (6, Integer().Select(i => (MsgPackValue)i)),
        (2, UInt64AboveLongMax().Select(u => (MsgPackValue)u)),
        (3, Float32().Select(f => (MsgPackValue)f)),
        (3, Float64().Select(d => (MsgPackValue)d)),
        (5, Text().Select(s => (MsgPackValue)s)),
        (3, Binary().Select(b => (MsgPackValue)b)),
        (2, Extension()),
        (2, Timestamp().Select(t => (MsgPackValue)t)),
        (1, WideArray()));

    private static Gen<MsgPackValue> Tree(int size, int depth)
    {
        if (size <= 1 || depth >= MaxNesting)
        {
            return Scalar;
        }

        return Gen.Frequency(
            (5, Scalar),
            (2, ArrayOf(size, depth)),
            (2, MapOf(size, depth)));
    }

    private static Gen<MsgPackValue> ArrayOf(int size, int depth) =>
        Count(size).SelectMany(count =>
            Tree(size / (count + 1), depth + 1).ArrayOf(count).Select(items => (MsgPackValue)items));

    private static Gen<MsgPackValue> MapOf(int size, int depth) =>
        from count in Count(size)
        from keys in Tree(size / (2 * count + 1), depth + 1).ArrayOf(count)
        from values in Tree(size / (2 * count + 1), depth + 1).ArrayOf(count)
        from duplicates in Gen.Choose(0, 3).ArrayOf(count)
        select (MsgPackValue)BuildMap(keys, values, duplicates);

    // Some keys repeat an earlier key, so that maps with duplicate keys are generated too.
    private static MsgPackMap BuildMap(MsgPackValue[] keys, MsgPackValue[] values, int[] duplicates)
    {
        var map = new MsgPackMap(keys.Length);
        for (int i = 0; i < keys.Length; i++)
        {
            MsgPackValue key = duplicates[i] == 0 && i > 0 ? keys[i - 1] : keys[i];
            map.Add(key, values[i]);
        }

        return map;
    }

    private static Gen<int> Count(int size) => Gen.Frequency(
        (8, Gen.Choose(0, Math.Min(size / 2, 8))),
        (1, Gen.Elements(15, 16, 17)));

    private static Gen<long> Integer() => Gen.Frequency(
        (1, Gen.Elements(EdgeIntegers)),
        (2, AnyInt64().Zip(Gen.Choose(0, 63), (bits, shift) => bits >> shift)));

    private static Gen<long> AnyInt64() =>
        Gen.Choose(int.MinValue, int.MaxValue).Zip(Gen.Choose(int.MinValue, int.MaxValue), (hi, lo) => ((long)hi << 32) | (uint)lo);

    private static Gen<ulong> UInt64AboveLongMax() => Gen.Frequency(
        (1, Gen.Elements(ulong.MaxValue, (ulong)long.MaxValue + 1)),
        (2, AnyInt64().Select(bits => unchecked((ulong)bits) | (1UL << 63))));

    private static Gen<float> Float32() => Gen.Frequency(
        (1, Gen.Elements(0f, -0f, 1f, 2f, -1.5f, float.NaN, float.PositiveInfinity, float.NegativeInfinity,
            float.Epsilon, float.MaxValue, float.MinValue, BitConverter.Int32BitsToSingle(0x7fc00001))),
        (2, Gen.Choose(int.MinValue, int.MaxValue).Select(BitConverter.Int32BitsToSingle)));

    private static Gen<double> Float64() => Gen.Frequency(
        (1, Gen.Elements(0d, -0d, 1d, 2d, 0.1, double.NaN, double.PositiveInfinity, double.NegativeInfinity,
            double.Epsilon, double.MaxValue, double.MinValue, BitConverter.Int64BitsToDouble(0x7ff8_0000_0000_0001))),
        (2, AnyInt64().Select(BitConverter.Int64BitsToDouble)));

    private static Gen<string> Text() => Gen.Frequency(
        (6, Gen.Sized(size => Gen.Elements(TextPieces).ArrayOf(Math.Min(size, 40)).Select(string.Concat))),
        (1, EdgeLength().Zip(Gen.Elements("a", "é", "€", "😀"), EdgeText)));

    // Text whose UTF-8 length is exactly the edge length (padded with ASCII when the piece does not divide it).
    private static string EdgeText(int utf8Length, string piece)
    {
        int pieceBytes = Encoding.UTF8.GetByteCount(piece);
        var text = new StringBuilder();
        for (int i = 0; i < utf8Length / pieceBytes; i++)
        {
            text.Append(piece);
        }

        return text.Append('x', utf8Length % pieceBytes).ToString();
    }

    // Lengths at the header boundaries; the 64 KiB ones are rarer, to keep the properties fast.
    private static Gen<int> EdgeLength() => Gen.Frequency((6, Gen.Elements(SmallEdgeLengths)), (1, Gen.Elements(LargeEdgeLengths)));

    private static Gen<byte[]> Binary() => Gen.Frequency(
        (4, Gen.Sized(size => Gen.Choose(0, 255).Select(b => (byte)b).ArrayOf(Math.Min(size, 40)))),
        (1, EdgeLength().Zip(Gen.Choose(0, 255), (length, seed) => Bytes.Pattern(length, seed))));

    private static Gen<MsgPackValue> Extension() =>
        from type in Gen.Choose(sbyte.MinValue, sbyte.MaxValue).Where(t => t != MsgPackCode.TimestampExtensionType)
        from length in Gen.Frequency(
            (4, Gen.Elements(0, 1, 2, 3, 4, 5, 8, 12, 16, 17)),
            (1, EdgeLength()))
        from seed in Gen.Choose(0, 255)
        select MsgPackValue.Extension((sbyte)type, Bytes.Pattern(length, seed));

    private static Gen<MsgPackTimestamp> Timestamp() =>
        from seconds in Gen.Frequency((2, Gen.Elements(EdgeSeconds)), (1, AnyInt64()), (1, Gen.Choose(0, int.MaxValue).Select(s => (long)s)))
        from nanoseconds in Gen.Frequency(
            (2, Gen.Elements(0u, 1u, 999_999_999u)),
            (1, Gen.Choose(0, 999_999_999).Select(n => (uint)n)))
        select new MsgPackTimestamp(seconds, nanoseconds);

    // An array of cheap scalars with a count at a header boundary.
    private static Gen<MsgPackValue> WideArray() =>
        from count in Gen.Frequency((6, Gen.Elements(15, 16, 255, 256)), (1, Gen.Elements(65535, 65536)))
        from item in Gen.Elements<MsgPackValue>(MsgPackValue.Nil, 0, -1, true)
        select (MsgPackValue)Enumerable.Repeat(item, count).ToArray();

    private static IEnumerable<MsgPackValue> Shrink(MsgPackValue value)
    {
        if (value.TryGetArray(out MsgPackValue[]? items))
        {
            foreach (MsgPackValue item in items)
            {
                yield return item;
            }

            for (int i = 0; i < items.Length; i++)
            {
                yield return items.Where((_, j) => j != i).ToArray();
            }
        }
        else if (value.TryGetMap(out MsgPackMap? map))
        {
            foreach (KeyValuePair<MsgPackValue, MsgPackValue> entry in map)
            {
                yield return entry.Key;
                yield return entry.Value;
            }

            for (int i = 0; i < map.Count; i++)
            {
                var smaller = new MsgPackMap(map.Count - 1);
                for (int j = 0; j < map.Count; j++)
                {
                    if (j != i)
                    {
                        smaller.Add(map[j].Key, map[j].Value);
                    }
                }

                yield return smaller;
            }
        }
        else if (!value.IsNil)
        {
            yield return MsgPackValue.Nil;
        }
    }
}
