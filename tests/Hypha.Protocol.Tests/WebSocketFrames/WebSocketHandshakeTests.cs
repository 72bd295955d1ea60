using Hypha.Protocol.WebSocketFrames;

namespace Hypha.Protocol.Tests.WebSocketFrames;

public sealed class WebSocketHandshakeTests
{
    [Fact]
    public void The_accept_value_is_the_one_of_RFC_6455()
    {
        // RFC 6455 §1.3.
        Assert.True(WebSocketHandshake.IsValidKey("dGhlIHNhbXBsZSBub25jZQ=="));
        Assert.Equal("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", WebSocketHandshake.ComputeAccept("dGhlIHNhbXBsZSBub25jZQ=="));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("dGhlIHNhbXBsZSBub25jZQ")]            // padding missing
    [InlineData("dGhlIHNhbXBsZSBub25jZQ==dGhl")]      // too long
    [InlineData("dGhlIHNhbXBsZSBub25j!Q==")]          // not base64
    [InlineData("dGhlIHNhbXBsZSBub25jZSE=")]          // 17 bytes
    public void Keys_that_are_not_16_bytes_in_base64_are_refused(string? key) =>
        Assert.False(WebSocketHandshake.IsValidKey(key));
}
