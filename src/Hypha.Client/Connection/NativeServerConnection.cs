using System.IO.Pipelines;
using System.Text.Json;
using Hypha.Protocol.MsgPack;
using Hypha.Protocol.Native;
using Hypha.Transport.Connections;
using Hypha.Transport.Multiplexing;
using Hypha.Transport.SharedMemory;
using Hypha.Client.Rpc;
using Hypha.Protocol.Buffers;
using Hypha.Protocol.Messages;
using Hypha.Protocol.Schemas;

namespace Hypha.Client.Connection;

/// <summary>
/// A native-mode connection (<c>tcp://host:port</c> or <c>unix:///path</c>): the socket, the Hello/HelloAck handshake
/// carrying hypha's authentication and <c>connection_info</c>, and the multiplexer that carries the hypha messages, in
/// the binary form of <c>rpc_method_v4</c> when the server agreed it (docs/wire-format.md). Liveness is the
/// multiplexer's heartbeat, so no text keep-alive is needed.
/// </summary>
internal sealed class NativeServerConnection : IServerConnection, ILargePayloadTransport
{
    private readonly SocketTransport _transport;
    private readonly Multiplexer _mux;

    // The binary forms the server agreed at Hello (schema-language.md): rpc_method_v4, and stream_item for stream answers.
    private readonly EnvelopeCodec _envelopes;

    private NativeServerConnection(SocketTransport transport, Multiplexer mux, ConnectionInfo info)
    {
        _transport = transport;
        _mux = mux;
        Info = info;
        _envelopes = new EnvelopeCodec(mux);
    }

    public ConnectionInfo Info { get; }

    public bool NeedsKeepAlive => false;

    /// <summary>What the connection has carried so far.</summary>
    public MultiplexerStatistics Statistics => _mux.Statistics;

    /// <summary>What the two sides agreed at Hello.</summary>
    public NativeAgreement Agreement => _mux.Agreement;

    public long MaxWholeMessage => _mux.Remote.MaxMessage;

    public int SharedMemoryThreshold => _mux.CanShareMemory ? _mux.SharedMemoryThreshold : 0;

    /// <summary>Connects, authenticates with the Hello and reads the server's HelloAck.</summary>
    /// <exception cref="HyphaConnectionException">The server refused the client, or could not be reached.</exception>
    public static async Task<NativeServerConnection> ConnectAsync(Uri uri, IReadOnlyDictionary<string, string?> auth, string clientId,
        MultiplexerOptions options, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        SocketTransport? transport = null;
        try
        {
            transport = uri.Scheme == ServerUrl.UnixScheme
                ? await SocketTransport.ConnectUnixAsync(uri.AbsolutePath, deadline.Token).ConfigureAwait(false)
                : await SocketTransport.ConnectTcpAsync(uri.Host, uri.Port, deadline.Token).ConfigureAwait(false);
            var authMap = new MsgPackMap(auth.Count);
            foreach ((string key, string? value) in auth)
            {
                authMap.Add(key, value);
            }

            NativeSettings offer = NativeHandshake.Offer(options);
            (NativeSettings server, MsgPackMap infoMap) = await NativeHandshake.ConnectAsync(transport, offer, authMap, deadline.Token)
                .ConfigureAwait(false);
            ConnectionInfo info = ConnectionInfo.FromMap(infoMap, clientId);
            return new NativeServerConnection(transport, new Multiplexer(transport, options with { Settings = offer }, server), info);
        }
        catch (Exception ex) when (ex is not HyphaConnectionException)
        {
            if (transport is not null)
            {
                await transport.DisposeAsync().ConfigureAwait(false);
            }

            // The hypha clients name a refusal ConnectionAbortedError; keep that prefix so callers can tell it apart.
            string reason = ex is NativeProtocolException { Code: NativeErrorCode.Refused } refused
                ? $"ConnectionAbortedError: {refused.Message}"
                : $"Could not connect to {uri}: {ex.Message}";
            throw new HyphaConnectionException(reason, ex);
        }
    }

    public async ValueTask SendAsync(RpcMethodV4 message, NativeChannel channel, CancellationToken cancellationToken)
    {
        try
        {
            if (_envelopes.TrySend(channel, message, cancellationToken) is { } written)
            {
                await written.ConfigureAwait(false);
                return;
            }

            using var frame = new PooledBufferWriter(256 + (message.Args?.Bytes.Length ?? 0));
            RpcMessages.WriteFrame(frame, message);
            await _mux.SendAsync(channel, frame.WrittenMemory, cancellationToken).ConfigureAwait(false);
        }
        catch (MultiplexerClosedException ex)
        {
            throw new Rpc.RemoteException($"Connection was closed: {ex.Message}", ex);
        }
    }

    public bool TrySendShared(ReadOnlyMemory<byte> head, IReadOnlyList<ReadOnlyMemory<byte>> payloads)
    {
        try
        {
            return _mux.TrySendShared(head, payloads);
        }
        catch (MultiplexerClosedException ex)
        {
            throw new Rpc.RemoteException($"Connection was closed: {ex.Message}", ex);
        }
    }

    public SharedMemoryBuffer? RentSharedMemory(int length) => _mux.RentSharedMemory(length);

    public void AnnounceClosing() => _mux.GoAway(NativeErrorCode.None, "Client closing");

    public ValueTask SendTextAsync(string json, CancellationToken cancellationToken) =>
        throw new NotSupportedException("Native connections carry no text messages.");

    public async Task<string> ReceiveAsync(Func<ReceivedMessage, ValueTask> onMessage, Action<JsonElement> onText, CancellationToken cancellationToken)
    {
        _mux.Start(inbound => inbound.Format == MessageFormat.Schema
            ? onMessage(new ReceivedMessage(default, inbound, null))
            : onMessage(new ReceivedMessage(inbound.Payload, null, inbound.Attachments)));
        await using CancellationTokenRegistration stop = cancellationToken.Register(
            static state => ((Multiplexer)state!).Abort(NativeErrorCode.None, "Client closing"), _mux);
        CloseReason reason = await _mux.Completion.ConfigureAwait(false);
        return reason.ByPeer ? $"closed by the server ({reason.Code}: {reason.Message})" : $"lost ({reason.Code}: {reason.Message})";
    }

    public async ValueTask DisposeAsync()
    {
        await _mux.DisposeAsync().ConfigureAwait(false);
        await _transport.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>The transport, for tests that break it on purpose.</summary>
    internal IDuplexPipe Transport => _transport;
}
