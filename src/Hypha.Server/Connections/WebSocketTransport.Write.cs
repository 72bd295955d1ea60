using System.IO.Pipelines;
using Hypha.Protocol.WebSocketFrames;

namespace Hypha.Server.Connections;

internal sealed partial class WebSocketTransport
{
    // Past this much unflushed output a write flushes before it returns, so one burst never holds megabytes.
    private const int FlushThreshold = 64 * 1024;

    // The pipe takes one writer at a time: the send loop, the pong to a ping, the keep-alive's ping. Each holds the
    // gate for whole frames only, so frames never interleave.
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private long _unflushed;
    private volatile bool _closeSent;

    /// <summary>
    /// Writes one unfragmented message (server frames are not masked) without flushing it, unless the output not yet
    /// flushed has grown past a threshold. Nothing is written once the close was sent.
    /// </summary>
    public async ValueTask WriteAsync(WebSocketOpcode opcode, ReadOnlyMemory<byte> payload)
    {
        await _writeGate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_closeSent)
            {
                return;
            }

            WriteFrame(opcode, payload.Span);
            if (_unflushed >= FlushThreshold)
            {
                await FlushCoreAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>Sends everything written so far: the end of a burst.</summary>
    public async ValueTask FlushAsync()
    {
        await _writeGate.WaitAsync().ConfigureAwait(false);
        try
        {
            await FlushCoreAsync().ConfigureAwait(false);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>
    /// Sends the close: <paramref name="errorText"/> first when given, then the close frame with the code (none for
    /// <see cref="WebSocketCloseCodes.NoStatus"/>) and the reason, cut to fit. Only the first close is sent.
    /// </summary>
    public async ValueTask SendCloseAsync(int code, string reason, byte[]? errorText)
    {
        await _writeGate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_closeSent)
            {
                return;
            }

            if (errorText is not null)
            {
                WriteFrame(WebSocketOpcode.Text, errorText);
            }

            Span<byte> payload = stackalloc byte[WebSocketFrameHeader.MaxControlPayload];
            WriteFrame(WebSocketOpcode.Close, payload[..WebSocketClosePayload.Write(payload, code, reason)]);
            _closeSent = true;
            await FlushCoreAsync().ConfigureAwait(false);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    // A pong or a ping, sent at once. False when the close was sent already, or the gate stayed taken until the
    // cancellation (a peer that reads nothing keeps the send loop's flush waiting).
    private async ValueTask<bool> SendControlAsync(WebSocketOpcode opcode, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default)
    {
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_closeSent)
            {
                return false;
            }

            WriteFrame(opcode, payload.Span);
            await FlushCoreAsync().ConfigureAwait(false);
            return true;
        }
        finally
        {
            _writeGate.Release();
        }
    }

    private void WriteFrame(WebSocketOpcode opcode, ReadOnlySpan<byte> payload)
    {
        WebSocketFrameHeader.WriteFrame(_output, opcode, payload);
        _unflushed += WebSocketFrameHeader.SizeFor(payload.Length, masked: false) + payload.Length;
    }

    private async ValueTask FlushCoreAsync()
    {
        if (_unflushed == 0)
        {
            return;
        }

        _unflushed = 0;
        FlushResult result = await _output.FlushAsync().ConfigureAwait(false);
        if (result.IsCanceled)
        {
            throw new OperationCanceledException("The connection was aborted while a write was waiting.");
        }

        if (result.IsCompleted)
        {
            throw new IOException("The connection was closed by the peer.");
        }
    }
}
