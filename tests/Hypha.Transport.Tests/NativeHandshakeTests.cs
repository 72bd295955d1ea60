using Hypha.Protocol.Native;
using Hypha.Transport.Multiplexing;

namespace Hypha.Transport.Tests;

public sealed class NativeHandshakeTests
{
    [Fact]
    public void A_client_with_settings_out_of_bounds_is_refused_before_it_sends_anything()
    {
        var options = new MultiplexerOptions { Settings = new NativeSettings { MaxFrame = 16 } };

        ArgumentException error = Assert.Throws<ArgumentException>(() => NativeHandshake.Offer(options));
        Assert.Contains("MaxFrame", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_server_with_settings_out_of_bounds_answers_no_hello()
    {
        var options = new MultiplexerOptions { Settings = new NativeSettings { Compression = ["zstd"] } };

        ArgumentException error = Assert.Throws<ArgumentException>(() => NativeHandshake.Answer(options, new NativeSettings()));
        Assert.Contains("zstd", error.Message, StringComparison.Ordinal);
    }
}
