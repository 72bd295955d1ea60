using System.ComponentModel;
using Hypha.Client.Rpc;
using Hypha.Protocol.Buffers;
using Hypha.Protocol.MsgPack;

namespace Hypha.Client.Typed;

/// <summary>
/// Where a typed dispatcher writes one call's result: the <c>args</c> array of the resolve that answers it,
/// <c>[result]</c>, in a pooled buffer. What the result hands out (a stream, a callback) lives in the resolve's
/// session, on the caller's behalf.
/// </summary>
public sealed class TypedResponse : TypedWriteContext, IDisposable
{
    private static readonly byte[] NilResult = [0x91, 0xc0];

    // Larger buffers go back to the pool instead of staying with a cached response.
    private const int CachedBufferLimit = 16 * 1024;

    // One response per thread is kept for the next call: most answers are written and sent before another is needed,
    // so a typed call usually allocates neither a response nor a buffer (the way StringBuilderCache works).
    [ThreadStatic]
    private static TypedResponse? t_cached;

    private PooledBufferWriter? _buffer;
    private string? _target;
    private RpcSession? _session;
    private IAsyncDisposable? _scope;
    private int _rented;

    /// <summary>A response detached from any connection, for running a dispatcher on its own (benchmarks, tests).</summary>
    public TypedResponse()
        : base(null)
    {
        _rented = 1;
    }

    /// <summary>The <c>args</c> array written so far (<c>[nil]</c> when nothing was).</summary>
    public ReadOnlyMemory<byte> Written => _buffer is { WrittenCount: > 0 } buffer ? buffer.WrittenMemory : NilResult;

    internal override RpcSession Session => _session ??= Peer.OpenSession(_target!);

    /// <summary>A detached response, from this thread's cache when it holds one: <see cref="Dispose"/> gives it back.</summary>
    public static TypedResponse Rent() => Rent(null, null);

    /// <summary>
    /// A detached response that writes the records of the result in their binary form when <paramref name="binaryRecords"/>
    /// is set, as it answers a call marked for binary records (benchmarks, tests).
    /// </summary>
    public static TypedResponse Rent(bool binaryRecords)
    {
        TypedResponse response = Rent(null, null);
        response.WritesBinaryRecords = binaryRecords;
        return response;
    }

    /// <summary>A response for an answer to <paramref name="target"/> through <paramref name="peer"/>.</summary>
    internal static TypedResponse Rent(RpcPeer? peer, string? target)
    {
        TypedResponse response = t_cached ?? new TypedResponse();
        t_cached = null;
        response.Renew(peer);
        response._target = target;
        response._rented = 1;
        return response;
    }

    /// <summary>Starts the result: a writer positioned after the array header; one value must follow.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public MsgPackWriter StartResult()
    {
        _buffer ??= new PooledBufferWriter(256);
        _buffer.Clear();
        var writer = new MsgPackWriter(_buffer);
        writer.WriteArrayHeader(1);
        return writer;
    }

    /// <summary>Ends the result.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public void EndResult(ref MsgPackWriter writer) => writer.Flush();

    /// <summary>
    /// A token for a stream the result is about to hand out: cancelled when the peer closes the stream or it ends,
    /// and when <paramref name="callCancellation"/> is (the peer shutting down).
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public CancellationTokenSource StreamLifetime(CancellationToken callCancellation) =>
        CancellationTokenSource.CreateLinkedTokenSource(callCancellation);

    /// <summary>Empties the response, to run a dispatcher again into the same buffer.</summary>
    public void Reset() => _buffer?.Clear();

    /// <summary>
    /// Ends the per-call scope unless a stream took it, and keeps the response (and its buffer) for this thread's
    /// next call. Only the first call counts: a response is given back once.
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _rented, 0) == 0)
        {
            return;
        }

        // Most calls have no scope: a plain read spares them the interlocked exchange.
        if (_scope is not null && Interlocked.Exchange(ref _scope, null) is { } scope)
        {
            _ = scope.DisposeAsync().AsTask();
        }

        _session = null;
        _target = null;
        Renew(null);
        if (_buffer is { } buffer && buffer.WrittenCount > CachedBufferLimit)
        {
            buffer.Dispose();
            _buffer = null;
        }

        _buffer?.Clear();
        t_cached = this;
    }

    /// <summary>The scope the service instance of this call came from, ended with the response or by the stream it hands out.</summary>
    internal void AttachScope(IAsyncDisposable? scope) => _scope = scope;

    /// <summary>The session created for what the result handed out, or null: the resolve is sent in its name.</summary>
    internal RpcSession? TakeSession() => Interlocked.Exchange(ref _session, null);

    private protected override IAsyncDisposable? TakeScope() => Interlocked.Exchange(ref _scope, null);
}
