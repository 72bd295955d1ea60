using Hypha.Interop.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Hypha.Interop.Tests.Live;

/// <summary>
/// Every test of <see cref="JsProviderCSharpConsumerTests"/> again with the C# consumer in native mode (tcp://): the
/// npm client's WebSocket frames reach it through the server, which changes only the framing.
/// </summary>
public sealed class JsProviderNativeConsumerTests(ITestOutputHelper output) : JsProviderCSharpConsumerTests(output)
{
    private protected override string ClientUrl => Server.NativeUrl;
}

/// <summary>Every test of <see cref="CSharpProviderJsConsumerTests"/> again with the C# provider in native mode (tcp://).</summary>
public sealed class NativeProviderJsConsumerTests(ITestOutputHelper output) : CSharpProviderJsConsumerTests(output)
{
    private protected override string ClientUrl => Server.NativeUrl;
}

/// <summary>A C# provider in native mode comes back after a server restart, and the npm client reaches it again.</summary>
public sealed class NativeReconnectTests(ITestOutputHelper output) : LiveTestBase(output)
{
    private protected override string ClientUrl => Server.NativeUrl;

    [Fact]
    public async Task A_native_provider_reconnects_after_a_server_restart_and_JS_can_call_it_again()
    {
        (_, string serviceId, _) = await StartCSharpProviderAsync();
        NodePeer jsConsumer = await StartPeerAsync("js-cons");
        Assert.Equal(5, (await jsConsumer.SendAsync(new { op = "call", service = serviceId, method = "add", args = new[] { 2, 3 } })).GetInt32());

        await Server.RestartAsync();

        int result = (await LiveKit.EventuallyAsync(
            () => jsConsumer.SendAsync(new { op = "call", service = serviceId, method = "add", args = new[] { 20, 22 }, refresh = true }, TimeSpan.FromSeconds(5)),
            TimeSpan.FromSeconds(15), TimeSpan.FromMilliseconds(500))).GetInt32();
        Assert.Equal(42, result);
    }
}
