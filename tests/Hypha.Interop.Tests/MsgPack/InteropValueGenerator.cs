using System.Text;
using Hypha.Protocol.MsgPack;

namespace Hypha.Interop.Tests.MsgPack;

/// <summary>
/// Deterministic msgpack values for the C# → JavaScript → C# round trip: first a fixed list of edge cases that
/// covers every msgpack format and width boundary, then random nested values from a seeded <see cref="Random"/>.
/// Everything stays inside what a JavaScript peer can carry: map keys are unique, non-integer-like strings
/// (JS objects reorder integer-like keys and merge duplicates), never <c>"__proto__"</c>; no extension of type -1
/// other than valid timestamps; nesting well below every decoder's depth limit.
/// </summary>
internal static class InteropValueGenerator
{
    /// <summary>Byte lengths at every str/bin size boundary.</summary>
    public static readonly int[] BoundaryLengths = [0, 1, 31, 32, 255, 256, 65535, 65536];

    // Text pieces of 1, 2, 3 and 4 UTF-8 bytes (the last is a surrogate pair in UTF-16).
    private static readonly string[] TextPieces = ["a", "Z", "0", " ", "\n", "é", "ж", "ß", "ひ", "漢", "€", "🍺", "😀", "\U0010FFFF"];

    private static readonly sbyte[] ExtensionTypes = [0, 1, 5, 42, 127, -128, -2, -100];

    /// <summary>The fixed edge cases followed by random values, <paramref name="count"/> in all.</summary>
    public static List<MsgPackValue> Generate(int count, int seed)
    {
        var random = new Random(seed);
        List<MsgPackValue> values = EdgeCases(random);
        if (count < values.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, $"Use at least {values.Count} values to include every edge case.");
        }

        while (values.Count < count)
        {
            values.Add(RandomValue(random, depth: 0));
        }

        return values;
    }

    /// <summary>Every format, every width boundary, the special floats, big containers, all timestamp sizes.</summary>
    public static List<MsgPackValue> EdgeCases(Random random)
    {
        var values = new List<MsgPackValue> { MsgPackValue.Nil, false, true };

        long[] signed =
        [
            0, 1, 127, 128, 255, 256, 65535, 65536, int.MaxValue, 1L << 31, uint.MaxValue, 1L << 32, 1L << 53, (1L << 53) + 1,
            long.MaxValue - 1, long.MaxValue, -1, -31, -32, -33, -127, -128, -129, -32767, -32768, -32769, int.MinValue + 1L,
            int.MinValue, int.MinValue - 1L, -(1L << 53), -(1L << 53) - 1, long.MinValue + 1, long.MinValue,
        ];
        values.AddRange(signed.Select(v => (MsgPackValue)v));
        ulong[] unsigned = [5, 1UL << 63, (1UL << 63) + 1, ulong.MaxValue - 1, ulong.MaxValue];
        values.AddRange(unsigned.Select(v => (MsgPackValue)v));

        float[] singles =
        [
            0f, -0f, 1f, -1f, 1.5f, -0.1f, 0.1f, float.NaN, BitConverter.Int32BitsToSingle(0x7fc00001), BitConverter.Int32BitsToSingle(unchecked((int)0xffc00000)),
            float.PositiveInfinity, float.NegativeInfinity, float.MaxValue, float.MinValue, float.Epsilon, 1.17549435e-38f,
            16777216f, 16777217f, 2147483648f, 4294967296f, -2147483648f, 1e10f, 3.4e-38f,
        ];
        values.AddRange(singles.Select(v => (MsgPackValue)v));
        double[] doubles =
        [
            0.0, -0.0, 1.0, -2.0, 0.5, -1.5, Math.PI, -Math.E, double.NaN, BitConverter.Int64BitsToDouble(0x7ff0000000000001),
            BitConverter.Int64BitsToDouble(unchecked((long)0xfff8000000000000)), double.PositiveInfinity, double.NegativeInfinity,
            double.Epsilon, double.MaxValue, double.MinValue, 2.2250738585072014e-308, 127.0, 128.0, 4294967295.0, 4294967296.0,
            -2147483648.0, -2147483649.0, 9007199254740992.0, 9007199254740994.0, 18446744073709551616.0, 1e300, -1e-300,
            double.BitDecrement(1.0), 0.1 + 0.2,
        ];
        values.AddRange(doubles.Select(v => (MsgPackValue)v));

        values.AddRange(BoundaryLengths.Select(n => (MsgPackValue)Utf8TextOfLength(n, random)));
        values.Add(Utf8TextOfLength(65535, random, asciiOnly: true));
        values.AddRange(new[]
        {
            "\0nul inside\0", "Кириллица", "ひらがな", "한글", "漢字", "❤", "🍺", "👩‍👩‍👧‍👦", "e\u0301", "\uFEFFbom", "\uFFFD\uFFFF",
            "\U0001F600\U0010FFFF", new string('é', 16), "tab\tnew\nline\rquote\"backslash\\",
        }.Select(s => (MsgPackValue)s));

        values.AddRange(new[] { 0, 1, 2, 31, 32, 255, 256, 65535, 65536 }.Select(n => (MsgPackValue)RandomBytes(random, n)));

        MsgPackTimestamp[] timestamps =
        [
            // 32-bit form: seconds in [0, 2^32), no nanoseconds.
            new(0, 0), new(1, 0), new(1514862245, 0), new(uint.MaxValue, 0),
            // 64-bit form: seconds in [0, 2^34), with nanoseconds or above 32 bits.
            new(0, 1), new(1514862245, 678901234), new(1L << 32, 0), new((1L << 34) - 1, 999999999), new(uint.MaxValue, 1),
            // 96-bit form: negative seconds, or at least 2^34.
            new(-1, 0), new(-1, 999999999), new(-62167219200, 0), new(-2208988801, 999999999), new(1L << 34, 0),
            new(253402300799, 999999999), new(long.MinValue, 0), new(long.MaxValue, 999999999), new(-(1L << 40), 123),
        ];
        values.AddRange(timestamps.Select(t => (MsgPackValue)t));

        int[] extensionLengths = [0, 1, 2, 3, 4, 8, 12, 16, 17, 255, 256, 65535, 65536];
        for (int i = 0; i < extensionLengths.Length; i++)
        {
            values.Add(MsgPackValue.Extension(ExtensionTypes[i % ExtensionTypes.Length], RandomBytes(random, extensionLengths[i])));
            values.Add(MsgPackValue.Extension(ExtensionTypes[(i + 3) % ExtensionTypes.Length], RandomBytes(random, extensionLengths[i])));
        }

        foreach (int count in new[] { 0, 1, 15, 16, 17 })
        {
            values.Add(Enumerable.Range(0, count).Select(_ => RandomScalar(random)).ToArray());
            var map = new MsgPackMap(count);
            for (int i = 0; i < count; i++)
            {
                map.Add(RandomKey(random, i), RandomScalar(random));
            }

            values.Add(map);
        }

        foreach (int count in new[] { 65535, 65536 })
        {
            values.Add(Enumerable.Range(0, count).Select(i => i % 7 == 0 ? (MsgPackValue)$"s{i}" : i % 300 - 20).ToArray());
            var map = new MsgPackMap(count);
            for (int i = 0; i < count; i++)
            {
                // Not "i % 2 == 0 ? i * 1.5 : i": that conditional is a double, which would turn every int into a float.
                map.Add($"k{i}", i % 3 == 0 ? $"v{i}" : i % 2 == 0 ? (MsgPackValue)(i * 1.5) : (MsgPackValue)i);
            }

            values.Add(map);
        }

        // Depth-10 chains of arrays, of maps, and of both mixed with every scalar family.
        MsgPackValue deepArray = "bottom";
        MsgPackValue deepMap = long.MinValue;
        MsgPackValue mixed = 2.5f;
        for (int depth = 0; depth < 10; depth++)
        {
            deepArray = MsgPackValue.Array(deepArray);
            deepMap = new MsgPackMap { { $"level{depth}", deepMap } };
            mixed = depth % 2 == 1
                ? MsgPackValue.Array(depth, mixed, MsgPackValue.Nil, new MsgPackTimestamp(-depth, (uint)depth))
                : new MsgPackMap { { "d", depth }, { "inner", mixed }, { "bin", RandomBytes(random, 3) }, { "ext", MsgPackValue.Extension(9, [1, 2, 3]) } };
        }

        values.Add(deepArray);
        values.Add(deepMap);
        values.Add(mixed);
        return values;
    }

    /// <summary>A string of exactly <paramref name="byteLength"/> UTF-8 bytes, mixing 1- to 4-byte characters.</summary>
    public static string Utf8TextOfLength(int byteLength, Random random, bool asciiOnly = false)
    {
        var text = new StringBuilder(byteLength);
        int left = byteLength;
        while (left > 0)
        {
            string piece = asciiOnly ? "x" : TextPieces[random.Next(TextPieces.Length)];
            int size = Encoding.UTF8.GetByteCount(piece);
            if (size > left)
            {
                piece = "x";
                size = 1;
            }

            text.Append(piece);
            left -= size;
        }

        string result = text.ToString();
        if (Encoding.UTF8.GetByteCount(result) != byteLength)
        {
            throw new InvalidOperationException("test bug: wrong UTF-8 length");
        }

        return result;
    }

    private static MsgPackValue RandomValue(Random random, int depth)
    {
        int kinds = depth < 6 ? 12 : 10;
        return random.Next(kinds) switch
        {
            < 10 => RandomScalar(random),
            10 => Enumerable.Range(0, random.Next(7)).Select(_ => RandomValue(random, depth + 1)).ToArray(),
            _ => RandomMap(random, depth),
        };
    }

    private static MsgPackValue RandomMap(Random random, int depth)
    {
        int count = random.Next(7);
        var map = new MsgPackMap(count);
        for (int i = 0; i < count; i++)
        {
            map.Add(RandomKey(random, i), RandomValue(random, depth + 1));
        }

        return map;
    }

    private static MsgPackValue RandomScalar(Random random)
    {
        switch (random.Next(12))
        {
            case 0:
                return MsgPackValue.Nil;
            case 1:
                return random.Next(2) == 1;
            case 2:
            case 3:
                // A random width from 0 to 64 bits, either sign: hits every int format.
                int bits = random.Next(65);
                ulong magnitude = bits == 0 ? 0 : (ulong)random.NextInt64() << 1 ^ (ulong)random.Next(2);
                magnitude = bits == 64 ? magnitude : magnitude & ((1UL << bits) - 1);
                return random.Next(2) == 0 ? magnitude : unchecked(-(long)magnitude);
            case 4:
                // Arbitrary bits: subnormals, huge exponents, NaN payloads and the infinities now and then.
                return random.Next(4) == 0 ? BitConverter.Int64BitsToDouble(random.NextInt64(long.MinValue, long.MaxValue))
                    : random.Next(3) == 0 ? Math.Round((random.NextDouble() - 0.5) * 1e6)
                    : (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-20, 21));
            case 5:
                return random.Next(3) == 0 ? BitConverter.Int32BitsToSingle(random.Next(int.MinValue, int.MaxValue))
                    : random.Next(2) == 0 ? (float)Math.Round((random.NextDouble() - 0.5) * 1e4)
                    : (float)((random.NextDouble() - 0.5) * 1000);
            case 6:
            case 7:
                return string.Concat(Enumerable.Range(0, random.Next(41)).Select(_ => TextPieces[random.Next(TextPieces.Length)]));
            case 8:
                return RandomBytes(random, random.Next(41));
            case 9:
                return random.Next(3) switch
                {
                    0 => new MsgPackTimestamp(random.NextInt64(0, 1L << 32), 0),
                    1 => new MsgPackTimestamp(random.NextInt64(0, 1L << 34), (uint)random.Next(1, 1_000_000_000)),
                    _ => new MsgPackTimestamp(random.NextInt64(long.MinValue, long.MaxValue), (uint)random.Next(1_000_000_000)),
                };
            case 10:
                sbyte type = ExtensionTypes[random.Next(ExtensionTypes.Length)];
                return MsgPackValue.Extension(type, RandomBytes(random, random.Next(3) == 0 ? 1 << random.Next(5) : random.Next(21)));
            default:
                return random.Next(-40, 300);
        }
    }

    // Unique per map (the index is part of it) and never integer-like (always starts with a letter).
    private static string RandomKey(Random random, int index) =>
        $"{new[] { "k", "key", "ключ", "🔑", "キー", "_" }[random.Next(6)]}{index}";

    private static byte[] RandomBytes(Random random, int length)
    {
        byte[] bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
