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

    private readonly RpcPeer? _peer;
    private readonly string? _target;
    private PooledBufferWriter? _buffer;
    private RpcSession? _session;
    private IAsyncDisposable? _scope;

    /// <summary>A response detached from any connection, for running a dispatcher on its own (benchmarks, tests).</summary>
    public TypedResponse()
        : this(null, null)
    {
    }

    internal TypedResponse(RpcPeer? peer, string? target)
        : base(peer)
    {
        _peer = peer;
        _target = target;
    }

    /// <summary>The <c>args</c> array written so far (<c>[nil]</c> when nothing was).</summary>
    public ReadOnlyMemory<byte> Written => _buffer is { WrittenCount: > 0 } buffer ? buffer.WrittenMemory : NilResult;

    internal override RpcSession Session => _session ??= Peer.OpenSession(_target!);

    /// <summary>Starts the result: a writer positioned after the array header; one value must follow.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public MsgPackWriter StartResult()
    {
        _buffer ??= new PooledBufferWriter(256);
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

    /// <summary>Returns the buffer to its pool, and ends the per-call scope unless a stream took it.</summary>
    public void Dispose()
    {
        _buffer?.Dispose();
        _buffer = null;
        if (Interlocked.Exchange(ref _scope, null) is { } scope)
        {
            _ = scope.DisposeAsync().AsTask();
        }
    }

    /// <summary>The scope the service instance of this call came from, ended with the response or by the stream it hands out.</summary>
    internal void AttachScope(IAsyncDisposable? scope) => _scope = scope;

    /// <summary>The session created for what the result handed out, or null: the resolve is sent in its name.</summary>
    internal RpcSession? TakeSession() => Interlocked.Exchange(ref _session, null);

    private protected override IAsyncDisposable? TakeScope() => Interlocked.Exchange(ref _scope, null);
}
