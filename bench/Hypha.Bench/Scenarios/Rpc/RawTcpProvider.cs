using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;

namespace Hypha.Bench.Scenarios.Rpc;

/// <summary>
/// The provider of the <c>raw-tcp</c> case: one read loop that answers every request of a burst with its sum and
/// sends the answers in one flush.
/// </summary>
internal sealed class RawTcpProvider : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly RawTcpSender _sender;
    private readonly Task _loop;
    private volatile bool _disposing;

    private RawTcpProvider(Socket socket, Action<Exception> onFault)
    {
        _socket = socket;
        _sender = new RawTcpSender(socket);
        _loop = Task.Run(() => AnswerAsync(onFault));
    }

    /// <summary>Starts answering on <paramref name="socket"/>, which it then owns. A failure goes to <paramref name="onFault"/>.</summary>
    public static RawTcpProvider Start(Socket socket, Action<Exception> onFault) => new(socket, onFault);

    public async ValueTask DisposeAsync()
    {
        _disposing = true;
        _socket.Dispose();
        await _loop.ConfigureAwait(false);
    }

    private async Task AnswerAsync(Action<Exception> onFault)
    {
        PipeReader reader = PipeReader.Create(new NetworkStream(_socket, ownsSocket: false));
        try
        {
            while (true)
            {
                ReadResult read = await reader.ReadAsync().ConfigureAwait(false);
                ReadOnlySequence<byte> rest = Answer(read.Buffer);
                reader.AdvanceTo(rest.Start, read.Buffer.End);
                await _sender.FlushAsync().ConfigureAwait(false);
                if (read.IsCompleted)
                {
                    throw new IOException("the relay closed the connection.");
                }
            }
        }
        catch (Exception ex)
        {
            if (!_disposing)
            {
                onFault(new IOException($"raw-tcp provider: {ex.Message}", ex));
            }
        }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
        }
    }

    // Appends an answer for every whole request in the buffer; returns what is left (the start of a partial request).
    private ReadOnlySequence<byte> Answer(ReadOnlySequence<byte> buffer)
    {
        Span<byte> reply = stackalloc byte[RawTcpMessages.ReplyMessageBytes];
        while (RawTcpMessages.TryTake(ref buffer, out ReadOnlySequence<byte> payload))
        {
            (int id, int a, int b) = RawTcpMessages.ReadRequest(payload);
            RawTcpMessages.WriteReply(reply, id, a + b);
            _sender.Append(reply);
        }

        return buffer;
    }
}
