using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;

namespace Hypha.Bench.Scenarios.Rpc;

/// <summary>
/// The relay of the <c>raw-tcp</c> case, standing where the server stands in a routed call: it forwards whole
/// messages from the caller's connection to the provider's and back. One read loop per connection; each burst of
/// whole messages it reads goes out to the other side in one flush.
/// </summary>
internal sealed class RawTcpRelay : IAsyncDisposable
{
    private readonly Socket _callerSide;
    private readonly Socket _providerSide;
    private readonly Task[] _loops;
    private volatile bool _disposing;

    private RawTcpRelay(Socket callerSide, Socket providerSide, Action<Exception> onFault)
    {
        _callerSide = callerSide;
        _providerSide = providerSide;
        var toCaller = new RawTcpSender(callerSide);
        var toProvider = new RawTcpSender(providerSide);
        _loops =
        [
            Task.Run(() => ForwardAsync(callerSide, toProvider, "caller to provider", onFault)),
            Task.Run(() => ForwardAsync(providerSide, toCaller, "provider to caller", onFault)),
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
        _callerSide.Dispose();
        _providerSide.Dispose();
        await Task.WhenAll(_loops).ConfigureAwait(false);
    }

    private async Task ForwardAsync(Socket from, RawTcpSender to, string direction, Action<Exception> onFault)
    {
        PipeReader reader = PipeReader.Create(new NetworkStream(from, ownsSocket: false));
        try
        {
            while (true)
            {
                ReadResult read = await reader.ReadAsync().ConfigureAwait(false);
                // Forwards up to the end of the last whole message; a partial one waits for the rest of its bytes.
                ReadOnlySequence<byte> rest = read.Buffer;
                while (RawTcpMessages.TryTake(ref rest, out _))
                {
                }

                ReadOnlySequence<byte> whole = read.Buffer.Slice(0, rest.Start);
                to.Append(whole);
                reader.AdvanceTo(rest.Start, read.Buffer.End);
                await to.FlushAsync().ConfigureAwait(false);
                if (read.IsCompleted)
                {
                    throw new IOException("the connection was closed.");
                }
            }
        }
        catch (Exception ex)
        {
            if (!_disposing)
            {
                onFault(new IOException($"raw-tcp relay, {direction}: {ex.Message}", ex));
            }
        }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
        }
    }
}
