using Hypha.Protocol.MsgPack;

namespace Hypha.Protocol.Tests.MsgPack;

/// <summary>What <see cref="MsgPackValue"/> and <see cref="MsgPackMap"/> keep apart, keep in order, and never box.</summary>
public class ValueModelTests
{
    [Fact]
    public void IntegerFloat64AndFloat32TwoAreDifferentValuesWithDifferentEncodings()
    {
        MsgPackValue integer = 2;
        MsgPackValue float64 = 2.0;
        MsgPackValue float32 = 2.0f;

        Assert.Equal(MsgPackValueKind.Integer, integer.Kind);
        Assert.Equal(MsgPackValueKind.Float64, float64.Kind);
        Assert.Equal(MsgPackValueKind.Float32, float32.Kind);
        Assert.NotEqual(integer, float64);
        Assert.NotEqual(integer, float32);
        Assert.NotEqual(float64, float32);
        Assert.True(integer != float64);

        Assert.Equal(Bytes.Hex("02"), integer.ToBytes());
        Assert.Equal(Bytes.Hex("cb 40 00 00 00 00 00 00 00"), float64.ToBytes());
        Assert.Equal(Bytes.Hex("ca 40 00 00 00"), float32.ToBytes());

        foreach (MsgPackValue value in new[] { integer, float64, float32 })
        {
            MsgPackValue parsed = MsgPackValue.Parse(value.ToBytes());
            Assert.Equal(value.Kind, parsed.Kind);
            Assert.Equal(value, parsed);
            Assert.Equal(2.0, parsed.AsDouble());
        }

        Assert.True(integer.TryGetInt64(out long whole) && whole == 2);
        Assert.False(float64.TryGetInt64(out _));
        Assert.Throws<InvalidOperationException>(() => float64.AsInt64());
        Assert.True(integer.IsInteger && !integer.IsFloat && float32.IsFloat && float64.IsFloat);
    }

    [Theory]
    [InlineData("02")]
    [InlineData("cc 02")]
    [InlineData("cd 00 02")]
    [InlineData("ce 00 00 00 02")]
    [InlineData("cf 00 00 00 00 00 00 00 02")]
    [InlineData("d0 02")]
    [InlineData("d1 00 02")]
    [InlineData("d2 00 00 00 02")]
    [InlineData("d3 00 00 00 00 00 00 00 02")]
    public void AnIntegerIsTheSameValueWhateverFormatCarriedIt(string hex)
    {
        MsgPackValue parsed = MsgPackValue.Parse(Bytes.Hex(hex));
        Assert.Equal((MsgPackValue)2, parsed);
        Assert.Equal(Bytes.Hex("02"), parsed.ToBytes());
    }

    [Fact]
    public void IntegersOfEitherSignednessCompareByValue()
    {
        Assert.Equal((MsgPackValue)5, (MsgPackValue)5UL);
        Assert.Equal((MsgPackValue)5, (MsgPackValue)5u);
        Assert.Equal((MsgPackValue)long.MaxValue, (MsgPackValue)(ulong)long.MaxValue);
        Assert.Equal(MsgPackValueKind.UInt64, ((MsgPackValue)ulong.MaxValue).Kind);
        Assert.NotEqual((MsgPackValue)(-1), (MsgPackValue)ulong.MaxValue); // same 64 bits, different values
        Assert.Equal(ulong.MaxValue, ((MsgPackValue)ulong.MaxValue).AsUInt64());
        Assert.Throws<InvalidOperationException>(() => ((MsgPackValue)ulong.MaxValue).AsInt64());
        Assert.Throws<InvalidOperationException>(() => ((MsgPackValue)(-1)).AsUInt64());
        Assert.Equal(18446744073709551615.0, ((MsgPackValue)ulong.MaxValue).AsDouble());
    }

    [Fact]
    public void StrAndBinWithTheSameBytesStayDistinct()
    {
        MsgPackValue text = "ab";
        MsgPackValue bytes = new byte[] { 0x61, 0x62 };
        Assert.NotEqual(text, bytes);
        Assert.Equal(Bytes.Hex("a2 61 62"), text.ToBytes());
        Assert.Equal(Bytes.Hex("c4 02 61 62"), bytes.ToBytes());
        Assert.Equal(MsgPackValueKind.String, MsgPackValue.Parse(text.ToBytes()).Kind);
        Assert.Equal(MsgPackValueKind.Binary, MsgPackValue.Parse(bytes.ToBytes()).Kind);
        Assert.Throws<InvalidOperationException>(() => bytes.AsString());
        Assert.Throws<InvalidOperationException>(() => text.AsBinary());
    }

    [Fact]
    public void BinaryValuesCompareByContentNotByBackingArray()
    {
        byte[] backing = [9, 1, 2, 3, 9];
        MsgPackValue slice = new ReadOnlyMemory<byte>(backing, 1, 3);
        MsgPackValue copy = new byte[] { 1, 2, 3 };
        Assert.Equal(copy, slice);
        Assert.Equal(copy.GetHashCode(), slice.GetHashCode());
        Assert.Equal(Bytes.Hex("c4 03 01 02 03"), slice.ToBytes());
        Assert.NotEqual(copy, (MsgPackValue)new byte[] { 1, 2, 4 });
    }

    [Fact]
    public void MapKeepsInsertionOrderThroughEncodingAndParsing()
    {
        var ba = new MsgPackMap { { "b", 1 }, { "a", 2 } };
        var ab = new MsgPackMap { { "a", 2 }, { "b", 1 } };
        Assert.NotEqual((MsgPackValue)ba, (MsgPackValue)ab);
        Assert.Equal(Bytes.Hex("82 a1 62 01 a1 61 02"), ((MsgPackValue)ba).ToBytes());
        Assert.Equal(Bytes.Hex("82 a1 61 02 a1 62 01"), ((MsgPackValue)ab).ToBytes());

        MsgPackMap parsed = MsgPackValue.Parse(Bytes.Hex("83 a1 7a 01 a1 61 02 a1 6d 03")).AsMap();
        Assert.Equal(["z", "a", "m"], parsed.Select(e => e.Key.AsString()));
        Assert.Equal("m", parsed[2].Key.AsString());
    }

    [Fact]
    public void DuplicateKeysAreKeptAndLookupSeesTheLast()
    {
        byte[] bytes = Bytes.Hex("83 a1 61 01 a1 62 02 a1 61 03");
        MsgPackValue value = MsgPackValue.Parse(bytes);
        MsgPackMap map = value.AsMap();
        Assert.Equal(3, map.Count);
        Assert.Equal(3, value["a"].AsInt64());
        Assert.Equal(3, map["a"].AsInt64());
        Assert.True(map.TryGetValue("a", out MsgPackValue found) && found.AsInt64() == 3);
        Assert.Equal(bytes, value.ToBytes());
    }

    [Fact]
    public void DuplicateKeysInALargeIndexedMapAlsoResolveToTheLast()
    {
        var map = new MsgPackMap();
        for (int i = 0; i < 40; i++)
        {
            map.Add("k" + (i % 20), i);
        }

        for (int i = 0; i < 20; i++)
        {
            Assert.Equal(20 + i, map["k" + i].AsInt64());
        }

        map.Add("k3", 100); // after the index exists
        Assert.Equal(100, map["k3"].AsInt64());

        MsgPackMap parsed = MsgPackValue.Parse(((MsgPackValue)map).ToBytes()).AsMap();
        Assert.Equal(41, parsed.Count);
        Assert.Equal(100, parsed["k3"].AsInt64());
        Assert.Equal(39, parsed["k19"].AsInt64());
    }

    [Theory]
    [InlineData(3)]
    [InlineData(30)]
    public void SetReplacesTheLastEntryInPlaceAndRemoveDropsEveryEntryOfTheKey(int size)
    {
        var map = new MsgPackMap();
        for (int i = 0; i < size; i++)
        {
            map.Add("k" + i, i);
        }

        map.Add("k0", "again");
        map.Set("k0", "replaced");
        Assert.Equal(size + 1, map.Count);
        Assert.Equal(0, map[0].Value.AsInt64()); // the first k0 is untouched
        Assert.Equal("replaced", map[size].Value.AsString());
        Assert.Equal("replaced", map["k0"].AsString());

        map["new"] = true;
        Assert.Equal("new", map[size + 1].Key.AsString());

        Assert.True(map.Remove("k0"));
        Assert.False(map.ContainsKey("k0"));
        Assert.Equal(MsgPackValue.Nil, map["k0"]);
        Assert.Equal(size, map.Count);
        Assert.Equal(1, map["k1"].AsInt64());
        Assert.False(map.Remove("k0"));
    }

    [Fact]
    public void MapLookupsIgnoreNonStringKeysAndCloneIsIndependent()
    {
        var map = new MsgPackMap { { 1, "one" }, { "1", "text one" }, { new byte[] { 0x31 }, "bin one" } };
        Assert.Equal("text one", map["1"].AsString());
        Assert.True(map.TryGetString("1", out string? s) && s == "text one");
        Assert.False(map.TryGetString("missing", out _));

        MsgPackMap clone = map.Clone();
        clone["1"] = "changed";
        Assert.Equal("text one", map["1"].AsString());
        Assert.Equal("changed", clone["1"].AsString());
        Assert.NotEqual(map, clone);
    }

    [Fact]
    public void EqualityIsDeepAndHashCodesAgree()
    {
        static MsgPackValue Build() => new MsgPackMap
        {
            { "list", MsgPackValue.Array(1, "two", 3.0, MsgPackValue.Array(new byte[] { 4 })) },
            { "time", new MsgPackTimestamp(-1, 5) },
            { "ext", MsgPackValue.Extension(3, [1]) },
        };

        MsgPackValue a = Build();
        MsgPackValue b = Build();
        Assert.Equal(a, b);
        Assert.True(a == b);
        Assert.True(a.Equals((object)b));
        Assert.Equal(a.GetHashCode(), b.GetHashCode());

        Assert.NotEqual(MsgPackValue.Extension(3, [1]), MsgPackValue.Extension(4, [1]));
        Assert.NotEqual((MsgPackValue)new MsgPackTimestamp(1, 0), (MsgPackValue)new MsgPackTimestamp(1, 1));
        Assert.NotEqual(MsgPackValue.Array(1, 2), MsgPackValue.Array(1, 2, 3));
        Assert.NotEqual(MsgPackValue.Nil, (MsgPackValue)false);
        Assert.NotEqual(MsgPackValue.Nil, (MsgPackValue)0);
    }

    [Fact]
    public void FloatsCompareByBitsSoNaNEqualsItselfAndZeroesDiffer()
    {
        Assert.Equal((MsgPackValue)double.NaN, (MsgPackValue)double.NaN);
        Assert.Equal((MsgPackValue)float.NaN, (MsgPackValue)float.NaN);
        Assert.NotEqual((MsgPackValue)0.0, (MsgPackValue)(-0.0));
        Assert.NotEqual((MsgPackValue)0.0f, (MsgPackValue)(-0.0f));
    }

    [Fact]
    public void NullReferencesBecomeNilAndDefaultIsNil()
    {
        Assert.True(default(MsgPackValue).IsNil);
        Assert.Equal(MsgPackValueKind.Nil, ((MsgPackValue)(string?)null).Kind);
        Assert.Equal(MsgPackValueKind.Nil, ((MsgPackValue)(byte[]?)null).Kind);
        Assert.Equal(MsgPackValueKind.Nil, ((MsgPackValue)(MsgPackMap?)null).Kind);
        Assert.Equal(MsgPackValueKind.Nil, ((MsgPackValue)(MsgPackValue[]?)null).Kind);
    }

    [Fact]
    public void AccessorsOfTheWrongKindThrowInvalidOperation()
    {
        MsgPackValue text = "x";
        Assert.Throws<InvalidOperationException>(() => text.AsBoolean());
        Assert.Throws<InvalidOperationException>(() => text.AsDouble());
        Assert.Throws<InvalidOperationException>(() => text.AsArray());
        Assert.Throws<InvalidOperationException>(() => text.AsMap());
        Assert.Throws<InvalidOperationException>(() => text.AsTimestamp());
        Assert.Throws<InvalidOperationException>(() => text.AsExtension());
        Assert.False(text.TryGetDouble(out _));
        Assert.False(text.TryGetMap(out _));
        Assert.False(text.TryGetArray(out _));
        Assert.Equal(MsgPackValue.Nil, text["key"]); // indexing a non-map gives nil
    }

    [Fact]
    public void ExtensionOfTypeMinusOneWithTimestampDataIsATimestamp()
    {
        MsgPackValue value = MsgPackValue.Extension(-1, Bytes.Hex("00 00 00 2a"));
        Assert.Equal(MsgPackValueKind.Timestamp, value.Kind);
        Assert.Equal(new MsgPackTimestamp(42, 0), value.AsTimestamp());
        Assert.Equal(Bytes.Hex("d6 ff 00 00 00 2a"), value.ToBytes());
        Assert.Equal(value, MsgPackValue.Parse(value.ToBytes()));
    }

    [Fact]
    public void CreatingAndReadingScalarValuesDoesNotBox()
    {
        var sink = new MsgPackValue[8];
        double total = 0;
        long allocated = Allocations.Measure(() =>
        {
            for (int i = 0; i < 10_000; i++)
            {
                sink[0] = i;
                sink[1] = (long)i << 40;
                sink[2] = i * 0.5;
                sink[3] = (float)i;
                sink[4] = (i & 1) == 0;
                sink[5] = ulong.MaxValue - (ulong)i;
                sink[6] = new MsgPackTimestamp(i, (uint)i);
                sink[7] = MsgPackValue.Nil;
                total += sink[0].AsInt64() + sink[2].AsDouble() + sink[3].AsDouble() + (sink[4].AsBoolean() ? 1 : 0);
                if (sink[0] == sink[2] || !sink[1].Equals(sink[1]))
                {
                    throw new InvalidOperationException("an integer equals a float");
                }
            }
        });
        Assert.Equal(0, allocated);
        Assert.True(total > 0);
    }

    [Fact]
    public void TheAllocationMeasurementSeesBoxing()
    {
        // Guards the zero-allocation tests: the measurement must notice an allocation when there is one.
        var sink = new object[1];
        long allocated = Allocations.Measure(() =>
        {
            for (int i = 0; i < 100; i++)
            {
                sink[0] = i;
            }
        });
        Assert.True(allocated >= 100 * IntPtr.Size, $"{allocated} bytes");
    }

    [Fact]
    public void ToStringRendersEveryKind()
    {
        var map = new MsgPackMap
        {
            { "i", -3 }, { "u", ulong.MaxValue }, { "d", 1.5 }, { "f", 0.5f }, { "s", "x" }, { "b", new byte[] { 0xab } },
            { "a", MsgPackValue.Array(true, MsgPackValue.Nil) }, { "e", MsgPackValue.Extension(7, [1]) },
            { "t", new MsgPackTimestamp(1, 2) },
        };
        Assert.Equal(
            "{\"i\": -3, \"u\": 18446744073709551615, \"d\": 1.5d, \"f\": 0.5f, \"s\": \"x\", \"b\": <bin 1 AB>, "
            + "\"a\": [true, null], \"e\": <ext 7 01>, \"t\": <timestamp 1.000000002s>}",
            ((MsgPackValue)map).ToString());
    }
}
