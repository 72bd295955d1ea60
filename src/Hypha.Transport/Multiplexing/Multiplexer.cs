using System.IO.Pipelines;
using Hypha.Protocol.Native;
using Hypha.Transport.Compression;
using Hypha.Transport.Connections;

namespace Hypha.Transport.Multiplexing;

/// <summary>
/// One native connection after its handshake, split into four channels (docs/wire-format.md). One writer loop
/// drains the queued messages in priority order, cuts large ones into fragments that yield to higher channels, and
/// batches everything ready into one flush (<c>Writer</c>). One reader loop parses frames, enforces the limits and
/// windows, reassembles messages and hands them to the <see cref="IncomingHandler"/> (<c>Reader</c>). Control
/// messages, credit and heartbeats are in <c>Control</c>; failure, GoAway and disposal in <c>Closing</c>.
/// </summary>
public sealed partial class Multiplexer : IAsyncDisposable
{
    private const int ChannelCount = (int)FrameHeader.LastChannel + 1;

    private readonly IDuplexPipe _transport;
    private readonly MultiplexerOptions _options;
    private IncomingHandler? _handler;
    private Task _reading = Task.CompletedTask;
    private Task _writing = Task.CompletedTask;

    // The message-wide flags (§3.2) both sides agreed to at Hello: the only ones this side sends or accepts.
    private readonly FrameFlags _negotiatedFlags;

    /// <summary>Creates the multiplexer over a transport whose handshake is done; nothing moves until <see cref="Start"/>.</summary>
    /// <param name="transport">The connection's byte streams, after the prefaces and Hello/HelloAck.</param>
    /// <param name="options">This side's options; its settings are what this side announced.</param>
    /// <param name="remote">What the peer announced.</param>
    public Multiplexer(IDuplexPipe transport, MultiplexerOptions options, NativeSettings remote)
    {
        _transport = transport ?? throw new ArgumentNullException(nameof(transport));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        Remote = remote ?? throw new ArgumentNullException(nameof(remote));
        Local = HostIdentity.Stamp(options.Settings);
        Agreement = NativeAgreement.Between(Local, remote);
        for (int channel = 1; channel < ChannelCount; channel++)
        {
            _sendCredit[channel] = remote.WindowFor((NativeChannel)channel);
            _receiveAllowance[channel] = Local.WindowFor((NativeChannel)channel);
            _queues[channel] = new Queue<OutgoingMessage>();
        }

        _queues[0] = new Queue<OutgoingMessage>();
        _negotiatedFlags = NegotiatedFlags(Agreement);
        _compression = new CompressionPolicy(options.Compression, Agreement);
        _lastReceived = Environment.TickCount64;
        _nearRoundTrip = (long)(options.NearPeerRoundTrip.TotalSeconds * System.Diagnostics.Stopwatch.Frequency);
        _callsActiveMilliseconds = (long)options.CallsActiveFor.TotalMilliseconds;
        InitSharedMemory();
    }

    /// <summary>What this side announced.</summary>
    public NativeSettings Local { get; }

    /// <summary>What both sides agreed to: the optional features this connection uses.</summary>
    public NativeAgreement Agreement { get; }

    /// <summary>What the peer announced.</summary>
    public NativeSettings Remote { get; }

    /// <summary>Completes when the connection has ended, with the reason. It never faults.</summary>
    public Task<CloseReason> Completion => _completion.Task;

    // END may always be set; COMPRESSED and the codec bits once both sides announced a codec (which codec a message
    // may use is checked when it arrives, against the agreement); SHM_REF once shared memory was agreed; FORMAT once
    // a schema was (which schema a message names is the application's to check, message by message).
    private static FrameFlags NegotiatedFlags(NativeAgreement agreement) =>
        (agreement.Compression.Count > 0 ? FrameFlags.Compressed | FrameFlags.CodecMask : FrameFlags.None)
        | (agreement.SharedMemory ? FrameFlags.SharedMemoryRef : FrameFlags.None)
        | (agreement.Schemas.Count > 0 ? FrameFlags.SchemaFormat : FrameFlags.None);

    /// <summary>Starts the reader, the writer and the heartbeat. Messages go to <paramref name="handler"/>.</summary>
    public void Start(IncomingHandler handler)
    {
        if (_handler is not null)
        {
            throw new InvalidOperationException("The multiplexer is already started.");
        }

        _handler = handler ?? throw new ArgumentNullException(nameof(handler));
        _writing = Task.Run(WriteLoopAsync);
        _reading = Task.Run(ReadLoopAsync);
        EnqueueControl(TimedPing());
        StartHeartbeat();
    }

    /// <summary>
    /// Queues a message. The returned task completes once the buffer may be reused: at once for a small message
    /// (up to 64 KiB, copied) while the channel's backlog of copies stays under 1 MiB, otherwise once the message has
    /// been written to the transport; so a slow peer (no credit, a full socket) slows its senders down. An rpc
    /// message larger than the peer's frame limit goes on the bulk channel instead (§4).
    /// </summary>
    /// <exception cref="ArgumentException">The message is empty on rpc, larger than the peer accepts, or on control.</exception>
    /// <exception cref="MultiplexerClosedException">The connection closed before the message was written.</exception>
    public Task SendAsync(NativeChannel channel, ReadOnlyMemory<byte> message, CancellationToken cancellationToken = default) =>
        SendAsync(channel, message, MessageFormat.MsgPack, cancellationToken);

    /// <summary>Queues a message in the given <paramref name="format"/>; otherwise as <see cref="SendAsync(NativeChannel, ReadOnlyMemory{byte}, CancellationToken)"/>.</summary>
    /// <exception cref="ArgumentException">The message is empty on rpc, larger than the peer accepts, or on control.</exception>
    /// <exception cref="InvalidOperationException">The format was not negotiated with the peer.</exception>
    /// <exception cref="MultiplexerClosedException">The connection closed before the message was written.</exception>
    public Task SendAsync(NativeChannel channel, ReadOnlyMemory<byte> message, MessageFormat format, CancellationToken cancellationToken = default)
    {
        if (channel is NativeChannel.Control or > FrameHeader.LastChannel)
        {
            throw new ArgumentException("Messages go on the stream, rpc or bulk channel; control is the multiplexer's own.", nameof(channel));
        }

        if (message.Length > Remote.MaxMessage)
        {
            throw new ArgumentException($"A message of {message.Length} bytes is over the peer's maximum of {Remote.MaxMessage}.", nameof(message));
        }

        FrameFlags flags = FlagsFor(format);
        if (channel == NativeChannel.Rpc)
        {
            if (message.IsEmpty)
            {
                throw new ArgumentException("An rpc message cannot be empty.", nameof(message));
            }

            if (message.Length > Remote.MaxFrame)
            {
                channel = NativeChannel.Bulk;
            }
        }

        OutgoingMessage outgoing = EnqueueCompressed(channel, message, flags) ?? Enqueue(channel, message, flags);
        return cancellationToken.CanBeCanceled && !outgoing.Written.IsCompleted
            ? WaitWrittenAsync(outgoing, cancellationToken)
            : outgoing.Written;
    }

    // The message-wide flags for a format; a flag the peer did not agree to may not be sent (§3.2).
    private FrameFlags FlagsFor(MessageFormat format)
    {
        FrameFlags flags = format == MessageFormat.Schema ? FrameFlags.SchemaFormat : FrameFlags.None;
        return (flags & ~_negotiatedFlags) == 0
            ? flags
            : throw new InvalidOperationException($"The {format} format was not negotiated with the peer.");
    }

    // A cancelled send is withdrawn only while none of it has been written: the bytes are the caller's, and once the
    // writer has started on them the send must finish before the caller may have them back.
    private async Task WaitWrittenAsync(OutgoingMessage message, CancellationToken cancellationToken)
    {
        await using (cancellationToken.Register(() => TryWithdraw(message, cancellationToken)).ConfigureAwait(false))
        {
            await message.Written.ConfigureAwait(false);
        }
    }
}
