using Hypha.Protocol.Native;
using Hypha.Transport.Connections;
using Hypha.Transport.Multiplexing;

namespace Hypha.Transport.Tests;

public sealed class HostIdentityTests
{
    [Fact]
    public void This_host_has_a_stable_identity_that_does_not_reveal_the_machine_id()
    {
        string? host = HostIdentity.Current;

        Assert.NotNull(host);
        Assert.Equal(32, host.Length);
        Assert.Equal(host, HostIdentity.Current);
        Assert.DoesNotContain(File.ReadAllText("/etc/machine-id").Trim(), host, StringComparison.Ordinal);
    }

    [Fact]
    public void A_host_named_in_the_settings_is_kept()
    {
        Assert.Equal("elsewhere", HostIdentity.Stamp(new NativeSettings { Host = "elsewhere" }).Host);
        Assert.Equal(HostIdentity.Current, HostIdentity.Stamp(new NativeSettings()).Host);
    }

    [Fact]
    public async Task Two_peers_in_one_process_agree_they_share_the_host()
    {
        await using MuxPair pair = await MuxPair.StartAsync();

        Assert.True(pair.Client.Agreement.SameHost);
        Assert.True(pair.Server.Agreement.SameHost);
    }

    [Fact]
    public async Task A_peer_announcing_another_host_is_not_on_this_one()
    {
        var elsewhere = new MultiplexerOptions { Settings = new NativeSettings { Host = "another-host" } };
        await using MuxPair pair = await MuxPair.StartAsync(clientOptions: elsewhere);

        Assert.False(pair.Client.Agreement.SameHost);
        Assert.False(pair.Server.Agreement.SameHost);
    }
}
