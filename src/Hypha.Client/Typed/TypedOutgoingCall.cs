using System.ComponentModel;
using System.Runtime.CompilerServices;
using Hypha.Client.Rpc;
using Hypha.Protocol.Buffers;
using Hypha.Protocol.MsgPack;
using Hypha.Protocol.Native;
using Hypha.Protocol.Objects;

namespace Hypha.Client.Typed;

/// <summary>
/// One call a typed proxy (or a callback received from a peer) makes: generated code writes the arguments straight
/// into its <c>args</c> array, then invokes it and reads the result straight from the answer. The call has its own
/// session from the start, so callbacks and streams in the arguments are handed out in it, and all of hypha's call
/// semantics apply: promise, timeout renewed by heartbeats, errors as <see cref="RemoteException"/>, chunking and
/// shared memory for large messages.
/// </summary>
public sealed class TypedOutgoingCall : TypedWriteContext
{
    private readonly RpcPeer _peer;
    private readonly RpcSession _session;
    private readonly RemoteMethod _function;
    private readonly string? _remoteParent;
    private readonly bool _cancelRemotely;
    private readonly string? _records;
    // One of the thread's spare writers (the bytes are copied out when the call is sent), given back once sent.
    private PooledBufferWriter? _arguments = PooledBufferWriter.TakeSpare(256);

    // records: the record fingerprint both sides hold; the call then writes its records in binary form and asks for its
    // answer's in it. Null for maps.
    internal TypedOutgoingCall(RpcPeer peer, RemoteMethod function, string? remoteParent, bool cancelRemotely, string? records = null)
        : base(peer)
    {
        _peer = peer;
        _function = function;
        _remoteParent = remoteParent;
        _cancelRemotely = cancelRemotely;
        _records = records;
        WritesBinaryRecords = records is not null;
        _session = peer.OpenSession(function.Target);
    }

    internal override RpcSession Session => _session;

    /// <summary>Starts the arguments: a writer positioned after the array header; <paramref name="count"/> values must follow.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public MsgPackWriter StartArguments(int count)
    {
        var writer = new MsgPackWriter(_arguments ?? throw new InvalidOperationException("The call was already sent."));
        writer.WriteArrayHeader(count);
        return writer;
    }

    /// <summary>Ends the arguments.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public void EndArguments(ref MsgPackWriter writer) => writer.Flush();

    /// <summary>Writes an empty argument list.</summary>
    internal void WriteNoArguments()
    {
        MsgPackWriter writer = StartArguments(0);
        EndArguments(ref writer);
    }

    /// <summary>Gives up a call whose arguments could not be written: nothing was sent.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public void Abandon()
    {
        _peer.DropSession(_session);
        Interlocked.Exchange(ref _arguments, null)?.GiveBack();
    }

    /// <summary>Sends the call and reads its result with <paramref name="readResult"/>.</summary>
    /// <exception cref="RemoteException">The remote function failed, or its peer went away.</exception>
    /// <exception cref="TimeoutException">No result and no heartbeat within the method timeout.</exception>
    /// <exception cref="InvalidCastException">The result is not of the contract's type.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (the callee is told, when it can be).</exception>
    public ValueTask<T> InvokeAsync<T>(TypedValueReader<T> readResult, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(readResult);
        var answer = new PendingTypedAnswer<T>(_peer, _peer.SenderWorkspaceOf(_function.Target), readResult);
        return new ValueTask<T>(SendAndWaitAsync(answer, answer.Result, cancellationToken));
    }

    /// <summary>Sends the call and waits for it to finish; its result, if any, is ignored.</summary>
    public ValueTask InvokeAsync(CancellationToken cancellationToken) =>
        new(InvokeAsync(static (ref MsgPackReader reader, TypedReadContext _) =>
        {
            reader.Skip();
            return true;
        }, cancellationToken).AsTask());

    /// <summary>Sends the call without waiting for anything (a callback of type <see cref="Action"/>); failures are logged.</summary>
    public void Send() => _ = SendOnlyAsync();

    /// <summary>
    /// A stream the call returns, item by item, read with <paramref name="readItem"/>: the call is sent when the
    /// enumeration starts; leaving early closes the remote stream; cancelling stops waiting and closes it.
    /// </summary>
    public async IAsyncEnumerable<T> StreamAsync<T>(TypedValueReader<T> readItem, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(readItem);
        IAsyncEnumerable<T>? stream = await InvokeAsync((ref MsgPackReader reader, TypedReadContext context) =>
            context.ReadStream(ref reader, readItem), cancellationToken).ConfigureAwait(false);
        if (stream is null)
        {
            throw new InvalidCastException($"{_function.Method} returned nil instead of a stream.");
        }

        await foreach (T item in stream.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            yield return item;
        }
    }

    /// <summary>Sends a stream's next-item call; false at the end of the stream.</summary>
    internal async Task<(bool HasItem, T Item)> NextItemAsync<T>(TypedValueReader<T> readItem, CancellationToken cancellationToken)
    {
        var answer = new PendingTypedAnswer<T>(_peer, _peer.SenderWorkspaceOf(_function.Target), readItem, isStreamItem: true);
        T item = await SendAndWaitAsync(answer, answer.Result, cancellationToken).ConfigureAwait(false);
        return answer.Ended ? (false, default!) : (true, item);
    }

    private async Task<T> SendAndWaitAsync<T>(PendingAnswer answer, Task<T> result, CancellationToken cancellationToken)
    {
        PooledBufferWriter arguments = Interlocked.Exchange(ref _arguments, null) ?? throw new InvalidOperationException("The call was already sent.");
        bool expectsResult = _function.PromiseMode != RemotePromiseMode.None;
        _session.Pending = expectsResult ? answer : null;
        try
        {
            await _peer.SendCallAsync(_session, _function.Method, _function.PromiseMode, new OutgoingArguments(arguments.WrittenMemory, Attachments), false,
                _remoteParent, NativeChannel.Rpc, cancellationToken, _records).ConfigureAwait(false);
        }
        finally
        {
            arguments.GiveBack();
        }

        return expectsResult
            ? await _peer.AwaitAnswerAsync(_session, result, _function.Method, _cancelRemotely, cancellationToken).ConfigureAwait(false)
            : default!;
    }

    private async Task SendOnlyAsync()
    {
        PooledBufferWriter? arguments = Interlocked.Exchange(ref _arguments, null);
        if (arguments is null)
        {
            return;
        }

        try
        {
            await _peer.SendCallAsync(_session, _function.Method, RemotePromiseMode.None, new OutgoingArguments(arguments.WrittenMemory, Attachments), false,
                _remoteParent, NativeChannel.Rpc, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RemoteException or ObjectDisposedException or OperationCanceledException)
        {
            _peer.Options.Log?.Invoke($"Could not call {_function.Target}:{_function.Method}: {ex.Message}");
        }
        finally
        {
            arguments.GiveBack();
        }
    }
}
