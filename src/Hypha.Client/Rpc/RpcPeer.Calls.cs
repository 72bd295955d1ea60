using Hypha.Protocol.Messages;
using Hypha.Protocol.Native;
using Hypha.Protocol.MsgPack;
using Hypha.Protocol.Objects;
using Hypha.Protocol.Schemas;

namespace Hypha.Client.Rpc;

public sealed partial class RpcPeer
{

    /// <summary>
    /// Calls a remote function and decodes its result: functions become <see cref="RemoteFunction"/>s, generators
    /// async sequences, maps dictionaries. The call's session holds every callback and generator in the arguments
    /// until the result arrives; the timeout starts once the message is sent and every heartbeat renews it.
    /// </summary>
    /// <param name="method">The function, with an absolute target.</param>
    /// <param name="args">Positional arguments (.NET values, delegates, async sequences, remote functions...).</param>
    /// <param name="kwargs">Keyword arguments, or null.</param>
    /// <param name="remoteParent">The receiver-side session this call belongs to (set when calling back a callback).</param>
    /// <param name="cancellationToken">Stops waiting and frees the session.</param>
    /// <exception cref="RemoteException">The remote function failed, or its peer went away.</exception>
    /// <exception cref="TimeoutException">No result and no heartbeat within the method timeout.</exception>
    public async Task<object?> CallAsync(RemoteMethod method, IReadOnlyList<object?> args, IReadOnlyDictionary<string, object?>? kwargs,
        string? remoteParent, CancellationToken cancellationToken)
    {
        MsgPackValue result = await CallRawAsync(method, args, kwargs, remoteParent, cancellationToken).ConfigureAwait(false);
        try
        {
            return Decode(result, SenderWorkspaceOf(method.Target), remoteParent: null);
        }
        finally
        {
            // Decoded without a type, a payload received in shared memory is copied; the shared bytes go back at once.
            PayloadScope.Release(result);
        }
    }

    /// <summary>
    /// Calls a remote function whose failure does not matter: closing a generator, or removing a chunked message,
    /// whose owner may already be gone.
    /// </summary>
    internal async Task TryCallAsync(RemoteMethod method, params object?[] args)
    {
        try
        {
            await CallRawAsync(method, args, null, null, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RemoteException or TimeoutException or OperationCanceledException or ObjectDisposedException)
        {
            Options.Log?.Invoke($"Ignored failure of {method.Target}:{method.Method}: {ex.Message}");
        }
    }

    internal Task<MsgPackValue> CallRawAsync(RemoteMethod method, IReadOnlyList<object?> args, IReadOnlyDictionary<string, object?>? kwargs,
        string? remoteParent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(method);
        return CallRawAsync(method.Target, method.Method, method.PromiseMode, args, kwargs, remoteParent, NativeChannel.Rpc, cancellationToken);
    }

    // A dynamic call, addressed by target and path: answering a call needs no descriptor map. When the message is
    // sent at once (the usual case), the caller awaits the answer's task itself: no state machine waits for the
    // whole call, which would live as long as the call (and be copied by every collection meanwhile).
    private Task<MsgPackValue> CallRawAsync(string target, string path, RemotePromiseMode promiseMode, IReadOnlyList<object?> args,
        IReadOnlyDictionary<string, object?>? kwargs, string? remoteParent, NativeChannel channel, CancellationToken cancellationToken)
    {
        if (promiseMode == RemotePromiseMode.None && kwargs is null && SelfContained(args) is { } plainArgs)
        {
            return NotifyWithoutSessionAsync(target, path, plainArgs, remoteParent, channel, cancellationToken);
        }

        RpcSession session;
        PendingValue? answer;
        Task sent;
        try
        {
            session = OpenSession(target);
            MsgPackValue[] encodedArgs;
            try
            {
                encodedArgs = new MsgPackValue[args.Count + (kwargs is null ? 0 : 1)];
                for (int i = 0; i < args.Count; i++)
                {
                    encodedArgs[i] = Encode(args[i], session);
                }

                if (kwargs is not null)
                {
                    encodedArgs[^1] = EncodeMap(kwargs, session, 0);
                }
            }
            catch
            {
                DropSession(session);
                throw;
            }

            answer = promiseMode == RemotePromiseMode.None ? null : new PendingValue();
            session.Pending = answer;
            sent = SendCallAsync(session, path, promiseMode, new OutgoingArguments(encodedArgs), kwargs is not null, remoteParent, channel, cancellationToken);
        }
        catch (Exception ex)
        {
            return Rethrow<MsgPackValue>(ex);
        }

        return sent.IsCompletedSuccessfully
            ? AnswerOf(session, answer, path, cancellationToken)
            : AnswerOnceSentAsync(sent, session, answer, path, cancellationToken);
    }

    // A fire-and-forget call whose arguments hand out nothing (every resolve and reject of a plain result) needs no
    // session: nothing can call back into it and no answer comes. Skipping it saves an id, a session and its entry.
    private Task<MsgPackValue> NotifyWithoutSessionAsync(string target, string path, MsgPackValue[] args, string? remoteParent, NativeChannel channel,
        CancellationToken cancellationToken)
    {
        Task sent;
        try
        {
            sent = SendWithoutSessionAsync(target, path, new OutgoingArguments(args), remoteParent, channel, cancellationToken);
        }
        catch (Exception ex)
        {
            return Rethrow<MsgPackValue>(ex);
        }

        return sent.IsCompletedSuccessfully ? NilAnswer : NilOnceSentAsync(sent);
    }

    // A message that expects no answer and hands nothing out: it needs no session of its own.
    private Task SendWithoutSessionAsync(string target, string path, OutgoingArguments args, string? remoteParent, NativeChannel channel,
        CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_lifetime.IsCancellationRequested, this);
        return SendMessageAsync(NewCall(target, path, remoteParent), args, target, remoteParent, channel, cancellationToken);
    }

    private static async Task<MsgPackValue> NilOnceSentAsync(Task sent)
    {
        await sent.ConfigureAwait(false);
        return default;
    }

    // The arguments encoded, when none of them needs a session; null otherwise.
    private static MsgPackValue[]? SelfContained(IReadOnlyList<object?> args)
    {
        var encoded = args.Count == 0 ? [] : new MsgPackValue[args.Count];
        for (int i = 0; i < encoded.Length; i++)
        {
            if (!TryEncodeSelfContained(args[i], out encoded[i]))
            {
                return null;
            }
        }

        return encoded;
    }

    private async Task<MsgPackValue> AnswerOnceSentAsync(Task sent, RpcSession session, PendingValue? answer, string path, CancellationToken cancellationToken)
    {
        await sent.ConfigureAwait(false);
        return await AnswerOf(session, answer, path, cancellationToken).ConfigureAwait(false);
    }

    // The answer of a sent call; a fire-and-forget call's is nil at once.
    private Task<MsgPackValue> AnswerOf(RpcSession session, PendingValue? answer, string path, CancellationToken cancellationToken) =>
        answer is null ? NilAnswer : AwaitAnswerAsync(session, answer.Result, path, cancelRemotely: false, cancellationToken);

    // The answer of every fire-and-forget call, completed already: one task for all of them.
    private static readonly Task<MsgPackValue> NilAnswer = Task.FromResult<MsgPackValue>(default);

    // A failure before the call was sent, as the task an async method would have returned: faulted, or cancelled for
    // an OperationCanceledException.
#pragma warning disable CS1998 // the point is the async method's exception semantics, without an await
    private static async Task<T> Rethrow<T>(Exception error)
    {
        System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error);
        return default!;
    }
#pragma warning restore CS1998

    /// <summary>
    /// Sends a call in <paramref name="session"/>'s name (the session holds what its arguments handed out, and its
    /// <see cref="RpcSession.Pending"/> answer when a result is expected). A fire-and-forget call's session lives on
    /// only if it handed out callbacks or generators. A call that could not be sent drops its session and throws.
    /// <paramref name="records"/> marks a typed call whose records are in binary form (the contract's record fingerprint).
    /// </summary>
    internal async Task SendCallAsync(RpcSession session, string path, RemotePromiseMode promiseMode, OutgoingArguments args, bool withKwargs,
        string? remoteParent, NativeChannel channel, CancellationToken cancellationToken, string? records = null)
    {
        string target = session.TargetId;
        bool expectsResult = promiseMode != RemotePromiseMode.None;
        try
        {
            ObjectDisposedException.ThrowIf(_lifetime.IsCancellationRequested, this);
            RpcMethodV4 message = NewCall(target, path, remoteParent);
            message.Session = expectsResult ? session.Id : null;
            message.WithKwargs = withKwargs ? true : null;
            message.Records = records;
            SetPromise(message, promiseMode, session, Options.MethodTimeout);
            await SendMessageAsync(message, args, target, remoteParent, channel, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            DropSession(session);
            throw;
        }

        // The session only lives on if it handed out callbacks or generators the target may still call.
        if (!expectsResult && !session.HasObjects)
        {
            _sessions.TryRemove(session.Id, out _);
        }
    }

    // A call's message, in the object this thread's last sent call left (SendMessageAsync gives it back once written):
    // two messages a call that would otherwise each be garbage at once.
    private RpcMethodV4 NewCall(string target, string path, string? remoteParent)
    {
        RpcMethodV4 message = t_sentMessage ?? new RpcMethodV4();
        t_sentMessage = null;
        message.Type = HyphaKeys.MethodType;
        message.From = LocalAddress;
        message.To = target;
        message.Method = path;
        message.Parent = remoteParent;
        return message;
    }

    [ThreadStatic]
    private static RpcMethodV4? t_sentMessage;

    // A sent message is the sender's no more (MessageSender's contract): it is cleared and kept for the next call.
    private static void Reuse(RpcMethodV4 message)
    {
        RpcMessages.Clear(message);
        t_sentMessage = message;
    }

    /// <summary>
    /// Waits for the answer of a call sent in <paramref name="session"/>'s name: the timeout starts now and every
    /// heartbeat renews it. Cancelling stops waiting and frees the session; with <paramref name="cancelRemotely"/> the
    /// callee is told too (its built-in <c>cancel</c>), so that the work stops there as well.
    /// </summary>
    internal Task<T> AwaitAnswerAsync<T>(RpcSession session, Task<T> answer, string path, bool cancelRemotely, CancellationToken cancellationToken)
    {
        session.StartTimeout(Options.MethodTimeout, path);
        return cancellationToken.CanBeCanceled ? AwaitCancellableAsync(session, answer, path, cancelRemotely, cancellationToken) : answer;
    }

    // Only a call that can be cancelled pays for a registration (and the closure it needs).
    private async Task<T> AwaitCancellableAsync<T>(RpcSession session, Task<T> answer, string path, bool cancelRemotely, CancellationToken cancellationToken)
    {
        string target = session.TargetId;
        await using CancellationTokenRegistration cancellation = cancellationToken.Register(() =>
        {
            bool stillWaiting = _sessions.ContainsKey(session.Id);
            Fail(session, new OperationCanceledException($"The call {target}:{path} was cancelled.", cancellationToken));
            if (stillWaiting && cancelRemotely)
            {
                CancelRemotely(target, session.Id);
            }
        });
        return await answer.ConfigureAwait(false);
    }

    /// <summary>A new session for a call to <paramref name="target"/>, in the object store until its answer (or sweep).</summary>
    internal RpcSession OpenSession(string target)
    {
        ObjectDisposedException.ThrowIf(_lifetime.IsCancellationRequested, this);
        return NewSession(target);
    }

    /// <summary>Drops a session whose call was never sent, with whatever it had handed out.</summary>
    internal void DropSession(RpcSession session)
    {
        _sessions.TryRemove(session.Id, out _);
        Release(session);
    }

    // The compact form for calls to functions a peer handed out, the explicit map for get_service and ping (the
    // hypha-rpc clients do the same); none for fire-and-forget calls. The heartbeat interval is half the timeout.
    private void SetPromise(RpcMethodV4 message, RemotePromiseMode promiseMode, RpcSession session, TimeSpan timeout)
    {
        switch (promiseMode)
        {
            case RemotePromiseMode.Compact:
                message.Promise = RpcMessages.CompactPromiseMarker;
                message.T = _heartbeatInterval;
                break;
            case RemotePromiseMode.Explicit:
                message.Promise = RawMsgPack.From(new ExplicitPromise(
                    RemoteMethod.Create(LocalAddress, $"{session.Id}.{HyphaKeys.Resolve}"),
                    RemoteMethod.Create(LocalAddress, $"{session.Id}.{HyphaKeys.Reject}"),
                    RemoteMethod.Create(LocalAddress, $"{session.Id}.{HyphaKeys.Heartbeat}"),
                    timeout.TotalSeconds / 2).ToMap());
                break;
        }
    }

    /// <summary>Sends a fire-and-forget call (resolve, reject, heartbeat) carrying <paramref name="args"/> on <paramref name="channel"/>.</summary>
    private Task<MsgPackValue> NotifyAsync(ReplyEndpoint endpoint, IReadOnlyList<object?> args, string? remoteParent, CancellationToken cancellationToken,
        NativeChannel channel = NativeChannel.Rpc) =>
        CallRawAsync(endpoint.Target, endpoint.Method, RemotePromiseMode.None, args, null, remoteParent, channel, cancellationToken);

    private static string WorkspaceOf(string address)
    {
        int slash = address.IndexOf('/');
        return slash < 0 ? address : address[..slash];
    }

    // The workspace of the peer a message came from (or a result will): messages come from few addresses, mostly the
    // same one many times in a row, and cutting its workspace out of each was a string per call. One entry, replaced
    // whole, so that threads racing on it each see a consistent pair.
    internal string SenderWorkspaceOf(string address)
    {
        AddressWorkspace? last = _lastSender;
        if (last is not null && last.Address == address)
        {
            return last.Workspace;
        }

        var current = new AddressWorkspace(address, WorkspaceOf(address));
        _lastSender = current;
        return current.Workspace;
    }

    private sealed record AddressWorkspace(string Address, string Workspace);
}
