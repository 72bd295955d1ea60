using Hypha.Server.Workspaces;

namespace Hypha.Server.Tests.Workspaces;

public class ServiceIdTests
{
    [Fact]
    public void Parses_a_full_id()
    {
        ServiceId id = ServiceId.Parse("ws-1/client-a:calc");

        Assert.Equal(new ServiceId("ws-1", "client-a", "calc"), id);
        Assert.Equal("ws-1/client-a:calc", id.Key);
        Assert.Equal("ws-1/client-a", id.ClientAddress);
        Assert.Equal("ws-1/client-a:calc", id.ToString());
    }

    [Fact]
    public void Parses_the_app_suffix()
    {
        ServiceId id = ServiceId.Parse("ws-1/client-a:calc@my-app");

        Assert.Equal("my-app", id.AppId);
        Assert.Equal("ws-1/client-a:calc", id.Key);
        Assert.Equal("ws-1/client-a:calc@my-app", id.ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("calc")]
    [InlineData("client-a:calc")]
    [InlineData("ws-1/calc")]
    [InlineData("ws-1/client-a:")]
    [InlineData("/client-a:calc")]
    [InlineData("ws-1/:calc")]
    [InlineData("ws-1/client-a:calc@")]
    [InlineData("ws-1/a/b:calc")]
    [InlineData("ws-1/client-a:calc:x")]
    [InlineData("ws-1/client-a:calc@a@b")]
    [InlineData("client-a:ws-1/calc")]
    [InlineData("ws-1/client-a@app:calc")]
    [InlineData("ws-1/*:calc")]
    [InlineData("*/client-a:calc")]
    public void Rejects_malformed_ids(string? text)
    {
        var error = Assert.Throws<ServiceRegistryException>(() => ServiceId.Parse(text));

        Assert.Equal(ServiceRegistryErrorKind.Invalid, error.Kind);
        Assert.StartsWith("Invalid service id", error.Message, StringComparison.Ordinal);
        Assert.False(ServiceId.TryParse(text, out _));
    }

    [Fact]
    public void TryParse_returns_the_id()
    {
        Assert.True(ServiceId.TryParse("w/c:s", out ServiceId? id));
        Assert.Equal("s", id.ServiceName);
    }
}
