using Hypha.Server.Routing;

namespace Hypha.Server.Tests.Routing;

public sealed class AddressesTests
{
    [Theory]
    [InlineData("*", "lab/*")]
    [InlineData("c1", "lab/c1")]
    [InlineData("other/c1", "other/c1")]
    [InlineData("*/manager-1", "*/manager-1")]
    public void Targets_are_made_absolute_with_the_senders_workspace(string to, string expected)
    {
        Assert.Equal(expected, Addresses.Normalize(to, "lab"));
    }

    [Fact]
    public void Addresses_split_at_the_first_slash()
    {
        Assert.True(Addresses.TrySplit("lab/c1", out string workspace, out string client));
        Assert.Equal(("lab", "c1"), (workspace, client));
        Assert.False(Addresses.TrySplit("c1", out _, out _));
    }
}
