using System.Buffers.Binary;
using Hypha.Protocol.WebSocketFrames;

namespace Hypha.Server.Connections;

internal sealed partial class WebSocketTransport
{
    private readonly CancellationTokenSource _keepAliveStop = new();
    private readonly Task _keepAlive;

    // The pong the keep-alive waits for: the sequence number its ping carried, and what completes when it arrives.
    private long _awaitedPong;
    private TaskCompletionSource? _pongArrived;

    // A protocol ping every interval after the last answer; a peer that does not answer within the timeout is
    // half-open or stuck, and the connection is aborted so that its resources and address are freed.
    private async Task KeepAliveAsync(TimeSpan interval, TimeSpan timeout)
    {
        CancellationToken stop = _keepAliveStop.Token;
        byte[] payload = new byte[sizeof(long)];
        try
        {
            for (long sequence = 1; ; sequence++)
            {
                await Task.Delay(interval, stop).ConfigureAwait(false);
                var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                Volatile.Write(ref _pongArrived, arrived);
                Volatile.Write(ref _awaitedPong, sequence);
                BinaryPrimitives.WriteInt64BigEndian(payload, sequence);
                using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stop);
                deadline.CancelAfter(timeout);
                try
                {
                    if (!await SendControlAsync(WebSocketOpcode.Ping, payload, deadline.Token).ConfigureAwait(false))
                    {
                        return; // closing: the close handshake has its own deadline
                    }

                    await arrived.Task.WaitAsync(deadline.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!stop.IsCancellationRequested)
                {
                    Log.KeepAliveTimeout(_logger, timeout.TotalSeconds);
                    Abort();
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The transport is being disposed.
        }
        catch (IOException)
        {
            // The connection is gone; its reader reports that.
        }
    }

    private void NotePong(ReadOnlySpan<byte> payload)
    {
        if (payload.Length == sizeof(long) && BinaryPrimitives.ReadInt64BigEndian(payload) == Volatile.Read(ref _awaitedPong))
        {
            Volatile.Read(ref _pongArrived)?.TrySetResult();
        }
    }
}
