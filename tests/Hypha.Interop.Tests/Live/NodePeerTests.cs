using System.Diagnostics;
using Hypha.Interop.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Hypha.Interop.Tests.Live;

/// <summary>The harness itself: errors come back as exceptions, and a dead peer fails fast instead of hanging.</summary>
public sealed class NodePeerTests(ITestOutputHelper output) : LiveTestBase(output)
{
    [Fact]
    public async Task Errors_are_reported_and_a_killed_peer_fails_commands_at_once()
    {
        (NodePeer peer, string serviceId) = await StartJsProviderAsync("js-harness");
        Assert.Equal("pong", (await peer.SendAsync(new { op = "ping" })).GetString());
        NodePeerCommandException unknown = await Assert.ThrowsAsync<NodePeerCommandException>(() => peer.SendAsync(new { op = "no-such-op" }));
        Assert.Contains("unknown op", unknown.Message, StringComparison.Ordinal);

        // The peer calls its own slow() through the server: a command that is still running when the process dies.
        Task<System.Text.Json.JsonElement> pending = peer.SendAsync(new { op = "call", service = serviceId, method = "slow", args = new[] { 30000 } }, TimeSpan.FromSeconds(30));
        await LiveKit.WaitUntilAsync(
            async () => (await JsStatsAsync(peer)).GetProperty("calls").TryGetProperty("slow", out _),
            TimeSpan.FromSeconds(5), "the slow call arrived");
        Assert.False(pending.IsCompleted);
        await peer.KillAsync();
        var clock = Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<Exception>(() => pending);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"a command pending on a killed peer took {clock.Elapsed} to fail");
        Assert.True(peer.HasExited);
        await Assert.ThrowsAsync<InvalidOperationException>(() => peer.SendAsync(new { op = "ping" }));
    }
}
