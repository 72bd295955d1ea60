using System.IO.Pipelines;
using Hypha.Server.Connections;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hypha.Server.Tests.Connections;

/// <summary>
/// The close deadline aborts the transport from a timer thread, which may run just as the connection ends: an abort
/// then must neither reach the ended HTTP context nor throw, since an exception in a timer callback ends the process.
/// </summary>
public sealed class WebSocketTransportAbortTests
{
    private static IDuplexPipe Pipes() => new DuplexPipe(new Pipe().Reader, new Pipe().Writer);

    [Fact]
    public async Task An_abort_after_the_transport_is_disposed_does_not_reach_the_connection()
    {
        int aborts = 0;
        var transport = new WebSocketTransport(Pipes(), () => aborts++, new HyphaServerOptions(), NullLogger.Instance);
        await transport.DisposeAsync();

        transport.Abort();

        Assert.Equal(0, aborts);
    }

    [Fact]
    public async Task An_abort_that_meets_an_ended_connection_does_not_throw()
    {
        int aborts = 0;
        var transport = new WebSocketTransport(Pipes(), () =>
        {
            aborts++;
            throw new ObjectDisposedException("Collection", "IFeatureCollection has been disposed.");
        }, new HyphaServerOptions(), NullLogger.Instance);
        try
        {
            transport.Abort();
            transport.Abort();

            Assert.Equal(1, aborts);
            Assert.False(transport.IsOpen);
        }
        finally
        {
            await transport.DisposeAsync();
        }
    }

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
