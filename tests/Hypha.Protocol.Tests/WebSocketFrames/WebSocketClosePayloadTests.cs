using System.Text;
using Hypha.Protocol.WebSocketFrames;

namespace Hypha.Protocol.Tests.WebSocketFrames;

public sealed class WebSocketClosePayloadTests
{
    [Fact]
    public void An_empty_payload_has_no_status()
    {
        Assert.Equal((WebSocketCloseCodes.NoStatus, string.Empty), WebSocketClosePayload.Read([]));
        Assert.Equal(0, WebSocketClosePayload.Write(new byte[125], WebSocketCloseCodes.NoStatus, "ignored"));
    }

    [Theory]
    [InlineData(1000, "")]
    [InlineData(1001, "Server is shutting down")]
    [InlineData(1009, "Message too big")]
    [InlineData(1013, "retry")]
    [InlineData(4999, "application ü")]
    public void Codes_and_reasons_round_trip(int code, string reason)
    {
        byte[] payload = new byte[125];
        int length = WebSocketClosePayload.Write(payload, code, reason);
        Assert.Equal((code, reason), WebSocketClosePayload.Read(payload.AsSpan(0, length)));
    }

    [Fact]
    public void A_long_reason_is_cut_at_a_character_to_fit()
    {
        string reason = string.Concat(Enumerable.Repeat("é😀", 100));
        byte[] payload = new byte[125];
        int length = WebSocketClosePayload.Write(payload, 1008, reason);

        Assert.InRange(length, 2, 125);
        (int code, string read) = WebSocketClosePayload.Read(payload.AsSpan(0, length));
        Assert.Equal(1008, code);
        Assert.StartsWith(read, reason, StringComparison.Ordinal);
        Assert.True(Encoding.UTF8.GetByteCount(read) > 115);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(999)]
    [InlineData(1004)]
    [InlineData(1005)]
    [InlineData(1006)]
    [InlineData(1015)]
    [InlineData(1016)]
    [InlineData(2999)]
    [InlineData(5000)]
    [InlineData(65535)]
    public void Codes_that_may_not_be_sent_are_a_protocol_error(int code)
    {
        Assert.False(WebSocketClosePayload.IsSendable(code));
        byte[] payload = [(byte)(code >> 8), (byte)code];
        var ex = Assert.Throws<WebSocketProtocolException>(() => WebSocketClosePayload.Read(payload));
        Assert.Equal(WebSocketCloseCodes.ProtocolError, ex.CloseCode);
        Assert.Throws<ArgumentOutOfRangeException>(() => WebSocketClosePayload.Write(new byte[125], code == 1005 ? 1004 : code, ""));
    }

    [Fact]
    public void A_one_byte_payload_is_a_protocol_error()
    {
        var ex = Assert.Throws<WebSocketProtocolException>(() => WebSocketClosePayload.Read([0x03]));
        Assert.Equal(WebSocketCloseCodes.ProtocolError, ex.CloseCode);
    }

    [Fact]
    public void A_reason_that_is_not_UTF8_is_invalid_payload()
    {
        var ex = Assert.Throws<WebSocketProtocolException>(() => WebSocketClosePayload.Read([0x03, 0xE8, 0xC3, 0x28]));
        Assert.Equal(WebSocketCloseCodes.InvalidPayload, ex.CloseCode);
    }
}
