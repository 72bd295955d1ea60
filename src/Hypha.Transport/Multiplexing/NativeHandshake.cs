using System.Buffers;
using System.IO.Pipelines;
using Hypha.Protocol.MsgPack;
using Hypha.Protocol.Native;
using Hypha.Transport.Connections;
using Hypha.Transport.SharedMemory;

namespace Hypha.Transport.Multiplexing;

/// <summary>
/// The start of a native connection (docs/wire-format.md §2, §6.1, §6.2): the prefaces, the client's Hello with its
/// settings and hypha authentication, and the server's HelloAck with its settings and <c>connection_info</c>, or an
/// Error. Every read is bounded by the frame limit in force before the handshake.
/// </summary>
public static class NativeHandshake
{
    /// <summary>
    /// What a client with <paramref name="options"/> announces in its Hello: its settings, its host, and shared memory
    /// where it can work here (with the probe file the server checks; <see cref="ConnectAsync"/> removes it). The
    /// client's <see cref="Multiplexer"/> must run with these very settings.
    /// </summary>
    /// <exception cref="ArgumentException">The settings are out of the bounds of wire-format.md §6.1.</exception>
    public static NativeSettings Offer(MultiplexerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Settings.Validate();
        return HostIdentity.Stamp(options.Settings) with { SharedMemory = SharedMemoryProbe.Offer(options.SharedMemory, withProbe: true) };
    }

    /// <summary>
    /// The HelloAck settings a server with <paramref name="options"/> answers <paramref name="hello"/> with
    /// (<see cref="NativeSettings.AnswerTo"/>), accepting shared memory only when the client is on this host, as this
    /// user, with this directory, and its probe file reads back. The server's <see cref="Multiplexer"/> runs with them.
    /// </summary>
    /// <exception cref="ArgumentException">The server's own settings are out of the bounds of wire-format.md §6.1.</exception>
    public static NativeSettings Answer(MultiplexerOptions options, NativeSettings hello)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(hello);
        options.Settings.Validate();
        NativeSettings mine = HostIdentity.Stamp(options.Settings);
        mine = mine with { SharedMemory = hello.SharedMemory is null || hello.Host != mine.Host ? null : SharedMemoryProbe.Offer(options.SharedMemory, withProbe: false) };
        NativeSettings answer = mine.AnswerTo(hello);
        return answer.SharedMemory is not null && !SharedMemoryProbe.Verify(hello.SharedMemory!) ? answer with { SharedMemory = null } : answer;
    }

    /// <summary>
    /// The client's side: sends the preface and Hello, and returns the server's settings and <c>connection_info</c>.
    /// </summary>
    /// <exception cref="NativeProtocolException">The server refused (its code and reason) or broke the protocol.</exception>
    public static async Task<(NativeSettings Server, MsgPackMap ConnectionInfo)> ConnectAsync(
        IDuplexPipe transport, NativeSettings settings, MsgPackMap auth, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(auth);
        WritePreface(transport.Output);
        WriteControl(transport.Output, HostIdentity.Stamp(settings).EncodeHello(auth));
        (ControlMessage Message, byte[] Payload) answer;
        try
        {
            await transport.Output.FlushAsync(cancellationToken).ConfigureAwait(false);
            await ReadPrefaceAsync(transport.Input, cancellationToken).ConfigureAwait(false);
            answer = await ReadControlAsync(transport.Input, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // The server has read the probe by the time it answers, or never will.
            SharedMemoryProbe.Remove(settings.SharedMemory);
        }

        switch (answer.Message.Type)
        {
            case ControlType.HelloAck:
                return NativeSettings.ReadHelloAck(answer.Payload.AsMemory(1));
            case ControlType.Error:
                (NativeErrorCode code, string text) = ControlMessages.ReadReason(answer.Message);
                throw new NativeProtocolException(code, text);
            default:
                throw new NativeProtocolException(NativeErrorCode.ProtocolError, $"Expected HelloAck, got {answer.Message.Type}");
        }
    }

    /// <summary>
    /// The server's side, first half: reads the client's preface (answering with this side's) and its Hello.
    /// Returns the client's settings and its <c>auth</c> map.
    /// </summary>
    /// <exception cref="NativeProtocolException">Not a native client, a major version this side does not speak, or a bad Hello.</exception>
    public static async Task<(NativeSettings Client, MsgPackMap Auth)> ReadHelloAsync(IDuplexPipe transport, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transport);
        try
        {
            await ReadPrefaceAsync(transport.Input, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // The answer goes out even for a version this side does not speak: the client then reads why.
            WritePreface(transport.Output);
        }

        (ControlMessage hello, byte[] payload) = await ReadControlAsync(transport.Input, cancellationToken).ConfigureAwait(false);
        return hello.Type == ControlType.Hello
            ? NativeSettings.ReadHello(payload.AsMemory(1))
            : throw new NativeProtocolException(NativeErrorCode.ProtocolError, $"Expected Hello, got {hello.Type}");
    }

    /// <summary>
    /// The server's side, second half: accepts the client with this side's settings and its <c>connection_info</c>.
    /// <paramref name="settings"/> are the answer to the client's Hello (<see cref="NativeSettings.AnswerTo"/>), and the
    /// same settings the server's <see cref="Multiplexer"/> then runs with.
    /// </summary>
    public static async Task AcceptAsync(IDuplexPipe transport, NativeSettings settings, MsgPackMap connectionInfo, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(connectionInfo);
        WriteControl(transport.Output, HostIdentity.Stamp(settings).EncodeHelloAck(connectionInfo));
        await transport.Output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Refuses the client (or reports a broken handshake): an Error frame, flushed within the token's time.</summary>
    public static async Task RefuseAsync(IDuplexPipe transport, NativeErrorCode code, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transport);
        WriteControl(transport.Output, ControlMessages.Error(code, reason).Encode());
        await transport.Output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private static void WritePreface(PipeWriter output)
    {
        NativePreface.Write(output.GetSpan(NativePreface.Size));
        output.Advance(NativePreface.Size);
    }

    private static void WriteControl(PipeWriter output, byte[] payload) =>
        FrameHeader.WriteFrame(output, NativeChannel.Control, FrameFlags.End, payload);

    private static async Task ReadPrefaceAsync(PipeReader input, CancellationToken cancellationToken)
    {
        ReadOnlySequence<byte> bytes = await ReadAtLeastAsync(input, NativePreface.Size, "preface", cancellationToken).ConfigureAwait(false);
        byte[] preface = bytes.Slice(0, NativePreface.Size).ToArray();
        input.AdvanceTo(bytes.GetPosition(NativePreface.Size));
        NativePreface.Read(preface);
    }

    // One control frame of the handshake, no larger than the pre-handshake frame limit: the message, checked, and its
    // payload (Hello and HelloAck are read from it by their generated types).
    private static async Task<(ControlMessage Message, byte[] Payload)> ReadControlAsync(PipeReader input, CancellationToken cancellationToken)
    {
        ReadOnlySequence<byte> bytes = await ReadAtLeastAsync(input, FrameHeader.Size, "frame header", cancellationToken).ConfigureAwait(false);
        byte[] head = bytes.Slice(0, FrameHeader.Size).ToArray();
        input.AdvanceTo(bytes.Start);
        FrameHeader header = FrameHeader.Read(head, NativeSettings.DefaultFrame, FrameFlags.None);
        if (header.Channel != NativeChannel.Control || !header.IsEnd)
        {
            throw new NativeProtocolException(NativeErrorCode.ProtocolError, $"A {header.Channel} frame before the handshake completed");
        }

        bytes = await ReadAtLeastAsync(input, FrameHeader.Size + header.Length, "control frame", cancellationToken).ConfigureAwait(false);
        byte[] payload = bytes.Slice(FrameHeader.Size, header.Length).ToArray();
        input.AdvanceTo(bytes.GetPosition(FrameHeader.Size + header.Length));
        return (ControlMessage.Decode(payload), payload);
    }

    // Returns a buffer of at least `count` bytes; the caller advances past what it used.
    private static async Task<ReadOnlySequence<byte>> ReadAtLeastAsync(PipeReader input, int count, string what, CancellationToken cancellationToken)
    {
        ReadResult result = await input.ReadAtLeastAsync(count, cancellationToken).ConfigureAwait(false);
        if (result.Buffer.Length < count)
        {
            input.AdvanceTo(result.Buffer.Start, result.Buffer.End);
            throw new NativeProtocolException(NativeErrorCode.ProtocolError, $"The connection ended before the {what} was complete");
        }

        return result.Buffer;
    }
}
