using System.Buffers;
using System.Net.WebSockets;
using System.Threading.Channels;

namespace Hypha.Client.Connection;

internal sealed partial class HyphaWebSocket
{
    private async ValueTask SendAsync(ReadOnlyMemory<byte> message, WebSocketMessageType type, CancellationToken cancellationToken)
    {
        // Written at once only when no queued frame is waiting: frames never overtake each other.
        if (Volatile.Read(ref _queued) == 0 && _writeLock.Wait(0))
        {
            try
            {
                if (Volatile.Read(ref _queued) == 0)
                {
                    await WriteAsync(message, type, cancellationToken).ConfigureAwait(false);
                    return;
                }
            }
            finally
            {
                _writeLock.Release();
            }
        }

        // The caller's buffer is only lent for this call: the queue holds a copy.
        byte[] copy = ArrayPool<byte>.Shared.Rent(message.Length);
        message.CopyTo(copy);
        Interlocked.Increment(ref _queued);
        try
        {
            await _queue.Writer.WriteAsync(new Outbound(copy, message.Length, type), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ChannelClosedException or OperationCanceledException)
        {
            Interlocked.Decrement(ref _queued);
            ArrayPool<byte>.Shared.Return(copy);
            throw ex is ChannelClosedException ? new Rpc.RemoteException("Connection is closed") : ex;
        }
    }

    private async Task WriteQueuedAsync()
    {
        await foreach (Outbound item in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            await _writeLock.WaitAsync().ConfigureAwait(false);
            try
            {
                await WriteAsync(item.Buffer.AsMemory(0, item.Length), item.Type, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Rpc.RemoteException)
            {
                // The socket is gone; the receive loop reports it. What is still queued is dropped below.
            }
            finally
            {
                _writeLock.Release();
                ArrayPool<byte>.Shared.Return(item.Buffer);
                Interlocked.Decrement(ref _queued);
            }
        }
    }

    private async ValueTask WriteAsync(ReadOnlyMemory<byte> message, WebSocketMessageType type, CancellationToken cancellationToken)
    {
        if (_socket.State != WebSocketState.Open)
        {
            throw new Rpc.RemoteException("Connection is closed");
        }

        try
        {
            await _socket.SendAsync(message, type, endOfMessage: true, cancellationToken).ConfigureAwait(false);
        }
        catch (WebSocketException ex)
        {
            throw new Rpc.RemoteException($"Connection was closed: {ex.Message}", ex);
        }
    }

    private readonly record struct Outbound(byte[] Buffer, int Length, WebSocketMessageType Type);
}
