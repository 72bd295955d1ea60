using Hypha.Protocol.MsgPack;
using Hypha.Protocol.Schemas;
using Hypha.Protocol.Tests.MsgPack;

namespace Hypha.Protocol.Tests.Schemas;

public sealed class BinaryPrimitiveTests
{
    [Theory]
    [InlineData(0UL, "00")]
    [InlineData(127UL, "7f")]
    [InlineData(128UL, "8001")]
    [InlineData(300UL, "ac02")]
    [InlineData(uint.MaxValue, "ffffffff0f")]
    [InlineData(ulong.MaxValue, "ffffffffffffffffff01")]
    public void Varints_are_shortest_leb128(ulong value, string hex)
    {
        Span<byte> buffer = stackalloc byte[SchemaPrimitives.MaxVarintLength];
        Assert.True(SchemaPrimitives.TryWriteVarint(buffer, value, out int written));
        Assert.Equal(hex, Bytes.ToHex(buffer[..written]));
        Assert.Equal(written, SchemaPrimitives.VarintLength(value));
        Assert.True(SchemaPrimitives.TryReadVarint(buffer[..written], 64, out ulong read, out int consumed));
        Assert.Equal((value, written), (read, consumed));
    }

    [Theory]
    [InlineData("80", 64)]
    [InlineData("8000", 64)]
    [InlineData("ffffffffffffffffff02", 64)]
    [InlineData("ffffffffffffffffffff01", 64)]
    [InlineData("ffffffff1f", 32)]
    [InlineData("8080808010", 32)]
    [InlineData("", 32)]
    public void Truncated_overlong_and_overflowing_varints_are_refused(string hex, int bits) =>
        Assert.False(SchemaPrimitives.TryReadVarint(Bytes.Hex(hex), bits, out _, out _));

    [Theory]
    [InlineData(0L, 0UL)]
    [InlineData(-1L, 1UL)]
    [InlineData(1L, 2UL)]
    [InlineData(-2L, 3UL)]
    [InlineData(long.MaxValue, ulong.MaxValue - 1)]
    [InlineData(long.MinValue, ulong.MaxValue)]
    public void Zigzag_keeps_small_magnitudes_small(long value, ulong encoded)
    {
        Assert.Equal(encoded, SchemaPrimitives.ZigZag(value));
        Assert.Equal(value, SchemaPrimitives.UnZigZag(encoded));
    }

    [Theory]
    [InlineData("c0", 1)]
    [InlineData("92 01 a1 61", 4)]
    [InlineData("81 a1 61 93 01 02 03", 7)]
    [InlineData("c4 02 00 00 ff", 4)]
    [InlineData("d6 ff 00 00 00 01", 6)]
    [InlineData("a3 61 62 63", 4)]
    [InlineData("93 ff c3 a2 61 62", 6)]
    [InlineData("92 a0 92 e0 a1 7a", 6)]
    public void A_raw_value_is_measured_without_decoding(string hex, int length)
    {
        Assert.Equal(MsgPackReadStatus.Success, MsgPackPrimitives.TryMeasureValue(Bytes.Hex(hex), 64, out int measured));
        Assert.Equal(length, measured);
    }

    [Theory]
    [InlineData("92 01", MsgPackReadStatus.NeedMoreData)]
    [InlineData("dd ff ff ff ff", MsgPackReadStatus.NeedMoreData)]
    [InlineData("c4 05 00", MsgPackReadStatus.NeedMoreData)]
    [InlineData("a3 61 62", MsgPackReadStatus.NeedMoreData)]
    [InlineData("92 01 a3 61 62", MsgPackReadStatus.NeedMoreData)]
    [InlineData("92 a1 61", MsgPackReadStatus.NeedMoreData)]
    [InlineData("c1", MsgPackReadStatus.Invalid)]
    [InlineData("91 91 91 c0", MsgPackReadStatus.Invalid)]
    public void A_bad_raw_value_is_refused(string hex, MsgPackReadStatus status) =>
        Assert.Equal(status, MsgPackPrimitives.TryMeasureValue(Bytes.Hex(hex), 2, out _));

    [Fact]
    public void Raw_values_reject_trailing_bytes_and_default_to_nil()
    {
        Assert.Throws<MsgPackException>(() => RawMsgPack.Create(Bytes.Hex("01 02")));
        Assert.True(default(RawMsgPack).IsNil);
        Assert.Equal("c0", Bytes.ToHex(default(RawMsgPack).Bytes.Span));
        Assert.Equal(RawMsgPack.Create(Bytes.Hex("92 01 02")), RawMsgPack.From(new MsgPackValue[] { 1, 2 }));
    }
}
