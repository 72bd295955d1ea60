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
        ControlMessage? found = null;
        await ReadFramesAsync(
            (header, payload) =>
            {
                if (header.Channel == NativeChannel.Control && ControlMessage.Decode(payload) is var control && control.Type == type)
                {
                    found = control;
                }

                return new ValueTask<bool>(found is not null);
            },
            () => $"without a {type} frame");
        return found!.Value;
    }

    /// <summary>
    /// Reads frames the multiplexer wrote, answering its pings, and counts the bulk payload bytes, until
    /// <paramref name="until"/> holds for the count or a Pong with <paramref name="pongData"/> arrives. The size of each
    /// bulk frame goes into <paramref name="bulkFrames"/> when given.
    /// </summary>
    public async Task<long> CountBulkAsync(Func<long, bool> until, long? pongData = null, List<int>? bulkFrames = null)
    {
        long bulk = 0;
        await ReadFramesAsync(
            async (header, payload) =>
            {
                if (header.Channel == NativeChannel.Bulk)
                {
                    bulkFrames?.Add(header.Length);
                    bulk += header.Length;
                    return until(bulk);
                }

                if (header.Channel != NativeChannel.Control)
                {
                    return false;
                }

                ControlMessage control = ControlMessage.Decode(payload);
                if (control.Type == ControlType.Ping)
                {
                    await WriteAsync(Control(ControlMessages.Pong(ControlMessages.ReadPingData(control))));
                    return false;
                }

                return control.Type == ControlType.Pong && ControlMessages.ReadPingData(control) == pongData;
            },
            () => $"after {bulk} bulk bytes");
        return bulk;
    }

    // Hands each whole frame the multiplexer wrote to `done` until it returns true; the frames after that one stay
    // unexamined, so the next read returns them without waiting for more. `where` says how far it got, for the errors.
    private async Task ReadFramesAsync(Func<FrameHeader, byte[], ValueTask<bool>> done, Func<string> where)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            ReadResult result;
            try
            {
                result = await _raw.Input.ReadAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Still waiting {where()}.");
            }

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
                if (await done(header, payload))
                {
                    _raw.Input.AdvanceTo(buffer.Start);
                    return;
                }
            }

            _raw.Input.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                throw new InvalidOperationException($"The multiplexer closed {where()}.");
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
