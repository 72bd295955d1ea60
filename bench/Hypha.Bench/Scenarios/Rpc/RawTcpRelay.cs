using System.Net.Sockets;

namespace Hypha.Bench.Scenarios.Rpc;

/// <summary>
/// The relay of the <c>raw-tcp</c> case, standing where the server stands in a routed call: it forwards whole
/// messages from the caller's connection to the provider's and back. One read loop per connection; the whole messages
/// of each receive go out to the other side in one flush.
/// </summary>
internal sealed class RawTcpRelay : IAsyncDisposable
{
    private readonly RawTcpReadLoop _fromCaller;
    private readonly RawTcpReadLoop _fromProvider;
    private readonly Task[] _watches;
    private volatile bool _disposing;

    private RawTcpRelay(Socket callerSide, Socket providerSide, Action<Exception> onFault)
    {
        var toCaller = new RawTcpSender(callerSide);
        var toProvider = new RawTcpSender(providerSide);
        _fromCaller = RawTcpReadLoop.Start(callerSide, "raw-tcp relay, from caller", messages => Forward(messages, toProvider));
        _fromProvider = RawTcpReadLoop.Start(providerSide, "raw-tcp relay, from provider", messages => Forward(messages, toCaller));
        _watches =
        [
            ReportEndAsync(_fromCaller, "caller to provider", onFault),
            ReportEndAsync(_fromProvider, "provider to caller", onFault),
        ];
    }

    /// <summary>
    /// Starts relaying between the relay's ends of the two connections, which it then owns. A failure goes to
    /// <paramref name="onFault"/>.
    /// </summary>
    public static RawTcpRelay Start(Socket callerSide, Socket providerSide, Action<Exception> onFault) =>
        new(callerSide, providerSide, onFault);

    public async ValueTask DisposeAsync()
    {
        _disposing = true;
        _fromCaller.Stop();
        _fromProvider.Stop();
        await Task.WhenAll(_watches).ConfigureAwait(false);
    }

    private static void Forward(ReadOnlySpan<byte> messages, RawTcpSender to)
    {
        to.Append(messages);
        to.Flush();
    }

    // A loop only ends on purpose when disposing; any other end is the relay failing.
    private async Task ReportEndAsync(RawTcpReadLoop loop, string direction, Action<Exception> onFault)
    {
        Exception reason = await loop.Ended.ConfigureAwait(false);
        if (!_disposing)
        {
            onFault(new IOException($"raw-tcp relay, {direction}: {reason.Message}", reason));
        }
    }
}
