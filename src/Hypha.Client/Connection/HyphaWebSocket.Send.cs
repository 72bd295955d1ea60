using System.Security.Cryptography;
using Hypha.Protocol.Buffers;
using Hypha.Protocol.WebSocketFrames;

namespace Hypha.Client.Connection;

internal sealed partial class HyphaWebSocket
{
    // Frames waiting past this many bytes make their senders wait for the writer: a slow server slows them down.
    private const int MaxPendingBytes = 1024 * 1024;

    // A batch buffer grown past this for a large message is given back once that batch is written.
    private const int KeepBatchBytes = 256 * 1024;

    private readonly Lock _sendGate = new();
    private readonly Transport.Multiplexing.WakeSignal _wake = new();
    private PooledBufferWriter _pending = new(16 * 1024);
    private PooledBufferWriter _spare = new(16 * 1024);
    private TaskCompletionSource? _roomFreed;
    private bool _sendClosed;

    // Mask keys drawn from the system's random generator 256 at a time, under the send gate: one draw per frame cost
    // about a tenth of a client's CPU in the rpc benchmark.
    private readonly uint[] _maskKeys = new uint[256];
    private int _nextMaskKey = 256;

    // Senders frame and mask their message into the pending batch and wake the writer, which takes the whole batch
    // and writes it to the socket in one call: however many frames were sent meanwhile, the socket sees one write.
    private async ValueTask SendAsync(ReadOnlyMemory<byte> message, WebSocketOpcode opcode, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task roomFreed;
            lock (_sendGate)
            {
                if (_sendClosed)
                {
                    throw new Rpc.RemoteException("Connection is closed");
                }

                if (_pending.WrittenCount < MaxPendingBytes)
                {
                    WebSocketFrameHeader.WriteFrame(_pending, opcode, message.Span, maskKey: NewMaskKey());
                    break;
                }

                _roomFreed ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                roomFreed = _roomFreed.Task;
            }

            await roomFreed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        _wake.Set();
    }

    // The only writer of the socket: each wake-up writes every pending frame at once. It ends once sending is closed
    // and everything pending went out, or when the socket fails (then pending senders get "Connection is closed").
    private async Task WriteLoopAsync()
    {
        try
        {
            while (true)
            {
                await _wake.WaitAsync().ConfigureAwait(false);
                PooledBufferWriter batch;
                TaskCompletionSource? roomFreed;
                bool last;
                lock (_sendGate)
                {
                    batch = _pending;
                    _pending = _spare;
                    roomFreed = _roomFreed;
                    _roomFreed = null;
                    last = _sendClosed;
                }

                roomFreed?.TrySetResult();
                if (batch.WrittenCount > 0)
                {
                    await _stream.WriteAsync(batch.WrittenMemory).ConfigureAwait(false);
                }

                _spare = Reuse(batch);
                if (last)
                {
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException)
        {
            // The socket is gone; the receive loop reports it.
        }
        finally
        {
            CloseSending();
        }
    }

    // Queues the close frame as the last thing sent, and lets the writer end once it is out.
    private void SendClose(int code, string reason)
    {
        lock (_sendGate)
        {
            if (_sendClosed)
            {
                return;
            }

            Span<byte> payload = stackalloc byte[WebSocketFrameHeader.MaxControlPayload];
            WebSocketFrameHeader.WriteFrame(_pending, WebSocketOpcode.Close, payload[..WebSocketClosePayload.Write(payload, code, reason)], maskKey: NewMaskKey());
            _sendClosed = true;
        }

        _wake.Set();
    }

    // The answer to the server's ping, unless the close was sent already.
    private void SendPong(ReadOnlySpan<byte> payload)
    {
        lock (_sendGate)
        {
            if (_sendClosed)
            {
                return;
            }

            WebSocketFrameHeader.WriteFrame(_pending, WebSocketOpcode.Pong, payload, maskKey: NewMaskKey());
        }

        _wake.Set();
    }

    // Refuses further sends and wakes senders waiting for room, so that they fail instead of hanging.
    private void CloseSending()
    {
        TaskCompletionSource? roomFreed;
        lock (_sendGate)
        {
            _sendClosed = true;
            roomFreed = _roomFreed;
            _roomFreed = null;
        }

        roomFreed?.TrySetResult();
        _wake.Set();
    }

    private static PooledBufferWriter Reuse(PooledBufferWriter batch)
    {
        if (batch.WrittenCount <= KeepBatchBytes)
        {
            batch.Clear();
            return batch;
        }

        batch.Dispose();
        return new PooledBufferWriter(16 * 1024);
    }

    // Clients must mask with keys an attacker cannot predict (RFC 6455 §10.3). Called under the send gate.
    private uint NewMaskKey()
    {
        if (_nextMaskKey == _maskKeys.Length)
        {
            RandomNumberGenerator.Fill(System.Runtime.InteropServices.MemoryMarshal.AsBytes(_maskKeys.AsSpan()));
            _nextMaskKey = 0;
        }

        return _maskKeys[_nextMaskKey++];
    }
}
