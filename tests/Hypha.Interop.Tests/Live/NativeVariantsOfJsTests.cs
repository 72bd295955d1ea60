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
