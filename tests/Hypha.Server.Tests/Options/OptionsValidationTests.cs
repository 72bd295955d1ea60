using Hypha.Protocol.Native;
using Hypha.Server.Tests.Infrastructure;
using Hypha.Transport.Multiplexing;

namespace Hypha.Server.Tests.Options;

public sealed class OptionsValidationTests
{
    [Fact]
    public async Task Native_settings_out_of_bounds_stop_the_server_at_start()
    {
        ArgumentException error = await Assert.ThrowsAsync<ArgumentException>(() => TestServer.StartAsync(options => options with
        {
            Native = new MultiplexerOptions { Settings = new NativeSettings { MaxFrame = NativeSettings.MaxFrameLimit + 1 } },
        }));

        Assert.Contains("MaxFrame", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_jwt_secret_stops_the_server_at_start()
    {
        ArgumentException error = await Assert.ThrowsAsync<ArgumentException>(() => TestServer.StartAsync(options => options with { JwtSecret = "" }));

        Assert.Contains("JwtSecret", error.Message, StringComparison.Ordinal);
    }
}
