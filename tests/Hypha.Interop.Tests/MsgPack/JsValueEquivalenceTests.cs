using Hypha.Protocol.MsgPack;

namespace Hypha.Interop.Tests.MsgPack;

/// <summary>The comparison used by the JavaScript echo test: lenient exactly where JS numbers are, strict elsewhere.</summary>
public sealed class JsValueEquivalenceTests
{
    public static TheoryData<string, MsgPackValue, MsgPackValue> Equivalent => new()
    {
        { "whole float64 as int", 1.0, 1 },
        { "whole float32 as int", 4f, 4 },
        { "-0.0 as int 0", -0.0, 0 },
        { "-0f as int 0", -0f, 0 },
        { "float32 as float64", 1.5f, 1.5 },
        { "float32 -0 as float64 -0", -0f, -0.0 },
        { "float32 NaN as float64 NaN", float.NaN, double.NaN },
        { "NaN payloads", BitConverter.Int64BitsToDouble(0x7ff0000000000001), double.NaN },
        { "whole float above 2^63 as uint64", double.BitDecrement(18446744073709551616.0), 18446744073709549568UL },
        { "positive int64 as uint64", (MsgPackValue)long.MaxValue, (MsgPackValue)(ulong)long.MaxValue },
        { "map in order", new MsgPackMap { { "a", 1 }, { "b", 2.0 } }, new MsgPackMap { { "a", 1 }, { "b", 2 } } },
        { "timestamp", new MsgPackTimestamp(-1, 5), new MsgPackTimestamp(-1, 5) },
    };

    public static TheoryData<string, MsgPackValue, MsgPackValue> Different => new()
    {
        { "int to float", 1, 1.0 },
        { "fraction to int", 1.5, 1 },
        { "float32 value changed", 0.1f, 0.1 },
        { "sign of a float zero", -0.0, 0.0 },
        { "NaN to number", double.NaN, 0.0 },
        { "int value", long.MinValue, long.MinValue + 1 },
        { "string", "a", "b" },
        { "string to binary", "a", new byte[] { 0x61 } },
        { "binary bytes", new byte[] { 1, 2 }, new byte[] { 1, 3 } },
        { "extension type", MsgPackValue.Extension(1, [1]), MsgPackValue.Extension(2, [1]) },
        { "timestamp nanos", new MsgPackTimestamp(0, 1), new MsgPackTimestamp(0, 2) },
        { "map order", new MsgPackMap { { "a", 1 }, { "b", 2 } }, new MsgPackMap { { "b", 2 }, { "a", 1 } } },
        { "array length", MsgPackValue.Array(1, 2), MsgPackValue.Array(1) },
        { "nested", MsgPackValue.Array(new MsgPackMap { { "x", MsgPackValue.Array(true) } }), MsgPackValue.Array(new MsgPackMap { { "x", MsgPackValue.Array(false) } }) },
        { "nil to false", MsgPackValue.Nil, false },
    };

    [Theory]
    [MemberData(nameof(Equivalent))]
    public void Accepts_what_JavaScript_numbers_change(string because, MsgPackValue sent, MsgPackValue echoed)
    {
        Assert.True(JsValueEquivalence.Difference(sent, echoed) is null, because);
    }

    [Theory]
    [MemberData(nameof(Different))]
    public void Rejects_real_changes(string because, MsgPackValue sent, MsgPackValue echoed)
    {
        string? difference = JsValueEquivalence.Difference(sent, echoed);
        Assert.True(difference is not null, because);
    }

    [Fact]
    public void Names_the_path_of_a_nested_difference()
    {
        MsgPackValue sent = MsgPackValue.Array(0, new MsgPackMap { { "key", MsgPackValue.Array("x", "y") } });
        MsgPackValue echoed = MsgPackValue.Array(0, new MsgPackMap { { "key", MsgPackValue.Array("x", "z") } });

        Assert.StartsWith("at [1]{key}[1]: expected String", JsValueEquivalence.Difference(sent, echoed));
    }
}
