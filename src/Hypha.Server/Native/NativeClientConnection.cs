using System.Buffers;
using Hypha.Protocol.Native;
using Hypha.Protocol.Schemas;
using Hypha.Server.Auth;
using Hypha.Server.Connections;
using Hypha.Transport.Multiplexing;
using Hypha.Transport.SharedMemory;
using Microsoft.AspNetCore.Connections;
using RoutedMessage = Hypha.Server.Routing.RoutedMessage;
using RouteResult = Hypha.Server.Routing.RouteResult;

namespace Hypha.Server.Native;

/// <summary>
/// A client connected in native mode: its multiplexer delivers whole messages with their channel, frames for it go
/// out on the channel they arrived on, and a close is an Error (for a reason) or a GoAway. Frames skip the shared
/// send queue: each goes straight to the multiplexer, whose writer batches whatever is ready into one flush and
/// puts calls before bulk data. What waits for a slow client is bounded per channel (a <see cref="SendBudget"/> per channel),
/// so a stalled bulk transfer cannot hold up calls, and a lane that stays full closes the client as too slow.
/// </summary>
internal sealed class NativeClientConnection : ClientConnection
{
    private readonly ConnectionContext _context;
    private readonly Multiplexer _mux;
    private readonly SendBudget[] _lanes;
    private readonly NativeEnvelopes _envelopes;
    private readonly EnvelopeCodec _builtIn;

    // The message the next binary message is read into: the multiplexer hands over one message at a time, and a
    // routed message nobody holds once routed is read into again, a message and its wrapper less per message. Null
    // when the last one is still held (the manager serves it), until the next message makes a new one.
    private RoutedMessage? _reusable;

    /// <summary>Creates the connection over a multiplexer whose handshake completed; nothing moves until <see cref="ClientConnection.RunAsync"/>.</summary>
    public NativeClientConnection(ConnectionContext context, Multiplexer mux, AuthenticatedIdentity identity, ConnectionServices services)
        : base(identity, services)
    {
        _context = context;
        _mux = mux;
        _envelopes = new NativeEnvelopes(mux.Agreement);
        _builtIn = new EnvelopeCodec(mux);
        _lanes = Enumerable.Range(0, (int)NativeChannel.Bulk + 1)
            .Select(_ => new SendBudget(services.Options.SendQueueFrames, services.Options.SendQueueBytes))
            .ToArray();
    }

    /// <inheritdoc />
    public override async ValueTask<bool> SendAsync(OutboundFrame frame)
    {
        if (IsClosing)
        {
            return false;
        }

        SendBudget lane = _lanes[(int)frame.Channel];
        int size = frame.Size;
        EnqueueResult reserved = await lane.ReserveAsync(size, Services.Options.SendQueueTimeout).ConfigureAwait(false);
        if (reserved != EnqueueResult.Accepted)
        {
            if (reserved == EnqueueResult.Full)
            {
                Log.ClientTooSlow(Services.Logger, Address, lane.Frames);
                RequestClose(CloseCodes.PolicyViolation, "Client too slow");
            }

            return false;
        }

        Task written;
        try
        {
            written = Send(frame);
        }
        catch (MultiplexerClosedException)
        {
            lane.Release(size);
            return false;
        }

        _ = ReleaseWhenWrittenAsync(lane, size, written);
        return true;
    }

    /// <inheritdoc />
    public override long MaxWholeMessage => _mux.Remote.MaxMessage;

    // In the binary form the client agreed, when the message has rpc_method_v4's shape: the built-in schema's
    // generated codec, or the runtime codec of the version it taught. Otherwise as the frame.
    private Task Send(OutboundFrame frame)
    {
        if (frame.Routed is { } routed)
        {
            if (_builtIn.UsesBinary && routed.Message is { } message && _builtIn.TrySend(frame.Channel, message) is { } written)
            {
                return written;
            }

            if (_envelopes.ForSending is { } learned && _envelopes.TryRecord(learned, routed.Frame) is { } record)
            {
                return _mux.SendAsync(frame.Channel, learned, record);
            }
        }

        return _mux.SendAsync(frame.Channel, frame.Bytes);
    }

    /// <inheritdoc />
    /// <remarks>The references are passed on as they came: the payloads stay where their sender put them.</remarks>
    public override bool TrySendShared(ReadOnlyMemory<byte> frame, IReadOnlyList<SharedMemoryLease> payloads)
    {
        try
        {
            return !IsClosing && _mux.TrySendShared(frame, payloads.Select(p => (ReadOnlyMemory<byte>)p.Memory).ToArray());
        }
        catch (Exception ex) when (ex is MultiplexerClosedException or SharedMemoryException)
        {
            return false;
        }
    }

    /// <inheritdoc />
    public override void AnnounceGoingAway(string reason) => _mux.GoAway(NativeErrorCode.Shutdown, reason);

    /// <inheritdoc />
    protected override bool IsTransportOpen => !_mux.Completion.IsCompleted;

    /// <inheritdoc />
    protected override bool IsTransportFailure(Exception exception) =>
        exception is MultiplexerClosedException or IOException or ObjectDisposedException or OperationCanceledException;

    /// <inheritdoc />
    protected override async Task ReceiveLoopAsync()
    {
        _mux.Start(async message =>
        {
            if (IsClosing)
            {
                foreach (SharedMemoryLease payload in message.Attachments ?? [])
                {
                    payload.Dispose();
                }

                return;
            }

            Touch();
            if (message.Format == MessageFormat.Schema)
            {
                await RouteBinaryAsync(message).ConfigureAwait(false);
                return;
            }

            await RouteAsync(message.Payload, message.Channel, message.Attachments).ConfigureAwait(false);
        });
        await _mux.Completion.ConfigureAwait(false);
    }

    // A binary message is decoded at once (later messages of its channel may replace the interned values it refers
    // to): the built-in envelope into its generated type, a version the client taught into a record, transcoded to a
    // hypha frame. A message that names no agreed schema, or does not decode, is dropped with the reason; the
    // connection goes on.
    private ValueTask RouteBinaryAsync(InboundMessage message)
    {
        try
        {
            if (message.Schema is not { } schema)
            {
                DropInvalid($"a binary message names schema number {message.SchemaNumber}, but only {_mux.Agreement.Schemas.Count} were agreed");
                return ValueTask.CompletedTask;
            }

            RoutedMessage reusable = _reusable ?? RoutedMessage.Reusable();
            if (EnvelopeCodec.TryRead(message, reusable.Message) is { } builtIn)
            {
                return ReferenceEquals(builtIn, reusable.Message)
                    ? RouteReusableAsync(reusable, message)
                    : IgnoreResult(RouteAsync(RoutedMessage.FromMessage(builtIn), message.Channel));
            }

            CompiledSchema learned = _envelopes.Learned(message.SchemaNumber)
                ?? throw new SchemaFormatException($"schema '{schema.Id}' ({schema.Fingerprint}) has no codec here", 0);
            return RouteAsync(_envelopes.ToFrame(learned, message.ReadBody(learned)), message.Channel);
        }
        catch (SchemaFormatException ex)
        {
            DropInvalid($"a binary message does not decode: {ex.Message}");
            return ValueTask.CompletedTask;
        }
    }

    // Once nothing holds the message, nothing holds the slices of the payload it was read from either (its any
    // values): a pooled payload goes back to the pool.
    private async ValueTask RouteReusableAsync(RoutedMessage routed, InboundMessage message)
    {
        if (await RouteAsync(routed, message.Channel).ConfigureAwait(false) == RouteResult.Kept)
        {
            _reusable = null;
            return;
        }

        routed.Reset();
        _reusable = routed;
        if (message.PooledArray is { } pooled)
        {
            ArrayPool<byte>.Shared.Return(pooled);
        }
    }

    private static async ValueTask IgnoreResult(ValueTask<RouteResult> routing) => await routing.ConfigureAwait(false);

    /// <inheritdoc />
    /// <remarks>
    /// Only frames queued with <see cref="ClientConnection.QueueFirst"/> come this way; <see cref="SendAsync"/> hands
    /// all others to the multiplexer directly.
    /// </remarks>
    protected override ValueTask WriteFrameAsync(OutboundFrame frame) => new(Send(frame));

    // The lane's room comes back once the frame is written, or once the connection failed and dropped it.
    private static async Task ReleaseWhenWrittenAsync(SendBudget lane, int size, Task written)
    {
        try
        {
            await written.ConfigureAwait(false);
        }
        catch (MultiplexerClosedException)
        {
            // The connection is closing; its end is reported by the receive loop.
        }
        finally
        {
            lane.Release(size);
        }
    }

    /// <inheritdoc />
    protected override CloseRequest AnswerToPeerClose()
    {
        CloseReason reason = _mux.Completion.IsCompleted
            ? _mux.Completion.Result
            : new CloseReason(NativeErrorCode.None, "The connection ended", ByPeer: true);
        return new CloseRequest(NativeCloseCodes.ToCloseCode(reason.Code), reason.Message, SendErrorFrame: false);
    }

    /// <inheritdoc />
    /// <remarks>A reason goes in an Error frame; a plain close is a GoAway that lets what is queued go out first.</remarks>
    protected override async Task SendCloseAsync(CloseRequest request)
    {
        if (request.SendErrorFrame)
        {
            _mux.Abort(NativeCloseCodes.ToNative(request.Code), request.Reason);
        }
        else
        {
            _mux.GoAway(NativeCloseCodes.ToNative(request.Code), request.Reason);
            await _mux.DisposeAsync().ConfigureAwait(false);
        }

        await _mux.Completion.ConfigureAwait(false);
    }

    /// <inheritdoc />
    protected override void AbortTransport()
    {
        _mux.Abort(NativeErrorCode.Timeout, "The close did not complete in time");
        _context.Abort();
    }
}
