using System.Text;
using Hypha.Server.Handshake;

namespace Hypha.Server.Tests.Handshake;

public sealed class HandshakeRequestTests
{
    [Theory]
    [InlineData("{}")]
    [InlineData("""{"client_id":null,"workspace":null,"token":null,"reconnection_token":null}""")]
    [InlineData("""{"client_id":"","workspace":"","extra":[1,2]}""")]
    public void Missing_null_and_empty_fields_all_mean_unset(string json)
    {
        Assert.Equal(new HandshakeRequest(null, null, null, null), HandshakeRequest.Parse(Encoding.UTF8.GetBytes(json)));
    }

    [Fact]
    public void Every_field_is_read()
    {
        HandshakeRequest request = HandshakeRequest.Parse(
            """{"client_id":"c","workspace":"w","token":"t","reconnection_token":"r"}"""u8);
        Assert.Equal(new HandshakeRequest("c", "w", "t", "r"), request);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("""{"client_id":5}""")]
    [InlineData("{")]
    [InlineData("")]
    public void Anything_else_is_refused_with_1003(string json)
    {
        var ex = Assert.Throws<HandshakeRejectedException>(() => HandshakeRequest.Parse(Encoding.UTF8.GetBytes(json)));
        Assert.Equal(1003, ex.CloseCode);
    }
}
