using System.Net.Sockets;

namespace Hypha.Bench.Scenarios.Rpc;

/// <summary>
/// The provider of the <c>raw-tcp</c> case: one read loop that answers every request of a receive with its sum and
/// sends the answers in one flush.
/// </summary>
internal sealed class RawTcpProvider : IAsyncDisposable
{
    private readonly RawTcpSender _sender;
    private readonly RawTcpReadLoop _loop;
    private readonly Task _watch;
    private volatile bool _disposing;

    private RawTcpProvider(Socket socket, Action<Exception> onFault)
    {
        _sender = new RawTcpSender(socket);
        _loop = RawTcpReadLoop.Start(socket, "raw-tcp provider", Answer);
        _watch = ReportEndAsync(onFault);
    }

    /// <summary>Starts answering on <paramref name="socket"/>, which it then owns. A failure goes to <paramref name="onFault"/>.</summary>
    public static RawTcpProvider Start(Socket socket, Action<Exception> onFault) => new(socket, onFault);

    public async ValueTask DisposeAsync()
    {
        _disposing = true;
        _loop.Stop();
        await _watch.ConfigureAwait(false);
    }

    private void Answer(ReadOnlySpan<byte> requests)
    {
        Span<byte> reply = stackalloc byte[RawTcpMessages.ReplyMessageBytes];
        while (RawTcpMessages.TryTake(ref requests, out ReadOnlySpan<byte> payload))
        {
            (int id, int a, int b) = RawTcpMessages.ReadRequest(payload);
            RawTcpMessages.WriteReply(reply, id, a + b);
            _sender.Append(reply);
        }

        _sender.Flush();
    }

    // The loop only ends on purpose when disposing; any other end is the provider failing.
    private async Task ReportEndAsync(Action<Exception> onFault)
    {
        Exception reason = await _loop.Ended.ConfigureAwait(false);
        if (!_disposing)
        {
            onFault(new IOException($"raw-tcp provider: {reason.Message}", reason));
        }
    }
}
