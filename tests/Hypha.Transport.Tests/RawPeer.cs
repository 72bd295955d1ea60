using System.Buffers;
using System.IO.Pipelines;
using Hypha.Protocol.Native;
using Hypha.Transport.Connections;
using Hypha.Transport.Multiplexing;

namespace Hypha.Transport.Tests;

/// <summary>A multiplexer facing a peer that writes raw bytes: for protocol violations and faults.</summary>
internal sealed class RawPeer : IAsyncDisposable
{
    private readonly IDuplexPipe _raw;

    public RawPeer(MultiplexerOptions? options = null, NativeSettings? remote = null, IncomingHandler? handler = null, PipeOptions? pipeOptions = null)
    {
        (_raw, IDuplexPipe muxEnd) = InMemoryTransport.CreatePair(pipeOptions);
        Mux = new Multiplexer(muxEnd, options ?? new MultiplexerOptions(), remote ?? new NativeSettings());
        Mux.Start(handler ?? (_ => ValueTask.CompletedTask));
    }

    public Multiplexer Mux { get; }

    public static byte[] Frame(NativeChannel channel, FrameFlags flags, ReadOnlySpan<byte> payload)
    {
        var frame = new ArrayBufferWriter<byte>(FrameHeader.Size + payload.Length);
        FrameHeader.WriteFrame(frame, channel, flags, payload);
        return frame.WrittenSpan.ToArray();
    }

    public static byte[] Control(ControlMessage message) => Frame(NativeChannel.Control, FrameFlags.End, message.Encode());

    public async Task WriteAsync(params byte[][] chunks)
    {
        foreach (byte[] chunk in chunks)
        {
            await _raw.Output.WriteAsync(chunk);
        }
    }

    public ValueTask EndAsync() => _raw.Output.CompleteAsync();

    /// <summary>Waits until the multiplexer has written something, and leaves it unread.</summary>
    public async Task WaitForUnreadAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        ReadResult result = await _raw.Input.ReadAsync(timeout.Token);
        _raw.Input.AdvanceTo(result.Buffer.Start);
    }

    /// <summary>Waits until the multiplexer has begun to close: it then refuses new messages.</summary>
    public async Task WaitForCloseStartedAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            try
            {
                _ = Mux.SendAsync(NativeChannel.Rpc, new byte[] { 1 });
            }
            catch (MultiplexerClosedException)
            {
                return;
            }

            await Task.Delay(5, timeout.Token);
        }
    }

    public Task<CloseReason> ClosedAsync() => Mux.Completion.WaitAsync(TimeSpan.FromSeconds(10));

    /// <summary>Reads frames the multiplexer wrote until the Error frame, and returns its code and message.</summary>
    public async Task<(NativeErrorCode Code, string Text)> ReadErrorAsync() => ControlMessages.ReadReason(await ReadControlAsync(ControlType.Error));

    /// <summary>Reads frames the multiplexer wrote until a control message of <paramref name="type"/>.</summary>
    public async Task<ControlMessage> ReadControlAsync(ControlType type)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            ReadResult result = await _raw.Input.ReadAsync(timeout.Token);
            ReadOnlySequence<byte> buffer = result.Buffer;
            while (buffer.Length >= FrameHeader.Size)
            {
                FrameHeader header = FrameHeader.Read(buffer.Slice(0, FrameHeader.Size).ToArray(), int.MaxValue, (FrameFlags)0xFF);
                if (buffer.Length < FrameHeader.Size + header.Length)
                {
                    break;
                }

                byte[] payload = buffer.Slice(FrameHeader.Size, header.Length).ToArray();
                buffer = buffer.Slice(FrameHeader.Size + header.Length);
                if (header.Channel == NativeChannel.Control && ControlMessage.Decode(payload) is var control && control.Type == type)
                {
                    // Frames after this one stay unexamined, so the next read returns them without waiting for more.
                    _raw.Input.AdvanceTo(buffer.Start);
                    return control;
                }
            }

            _raw.Input.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                throw new InvalidOperationException($"The multiplexer closed without a {type} frame.");
            }
        }
    }

    /// <summary>
    /// Reads frames the multiplexer wrote, answering its pings, and counts the bulk payload bytes, until
    /// <paramref name="until"/> holds for the count or a Pong with <paramref name="pongData"/> arrives.
    /// </summary>
    public async Task<long> CountBulkAsync(Func<long, bool> until, long? pongData = null)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        long bulk = 0;
        while (true)
        {
            ReadResult result;
            try
            {
                result = await _raw.Input.ReadAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Still waiting after {bulk} bulk bytes.");
            }

            ReadOnlySequence<byte> buffer = result.Buffer;
            bool done = false;
            while (!done && buffer.Length >= FrameHeader.Size)
            {
                FrameHeader header = FrameHeader.Read(buffer.Slice(0, FrameHeader.Size).ToArray(), int.MaxValue, (FrameFlags)0xFF);
                if (buffer.Length < FrameHeader.Size + header.Length)
                {
                    break;
                }

                byte[] payload = buffer.Slice(FrameHeader.Size, header.Length).ToArray();
                buffer = buffer.Slice(FrameHeader.Size + header.Length);
                if (header.Channel == NativeChannel.Bulk)
                {
                    bulk += header.Length;
                    done = until(bulk);
                }
                else if (header.Channel == NativeChannel.Control && ControlMessage.Decode(payload) is var control)
                {
                    if (control.Type == ControlType.Ping)
                    {
                        await WriteAsync(Control(ControlMessages.Pong(ControlMessages.ReadPingData(control))));
                    }
                    else if (control.Type == ControlType.Pong && ControlMessages.ReadPingData(control) == pongData)
                    {
                        done = true;
                    }
                }
            }

            if (done)
            {
                _raw.Input.AdvanceTo(buffer.Start);
                return bulk;
            }

            _raw.Input.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                throw new InvalidOperationException($"The multiplexer closed after {bulk} bulk bytes.");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Mux.DisposeAsync();
        await _raw.Output.CompleteAsync();
        await _raw.Input.CompleteAsync();
    }
}
