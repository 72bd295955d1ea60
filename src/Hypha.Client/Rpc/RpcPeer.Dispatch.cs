using Hypha.Client.Services;
using Hypha.Protocol.Messages;
using Hypha.Protocol.Native;
using Hypha.Protocol.MsgPack;
using Hypha.Protocol.Objects;
using Hypha.Protocol.Schemas;
using Hypha.Transport.Multiplexing;

namespace Hypha.Client.Rpc;

public sealed partial class RpcPeer
{
    private const string ServicesPrefix = "services.";

    /// <summary>
    /// Handles one incoming hypha frame: an event, the result of one of this peer's calls (resolve, reject,
    /// heartbeat), or a call of a local service function, callback or generator. Calls run in the background, so
    /// the caller's receive loop is never held up by user code. A frame that does not decode is dropped (and
    /// logged): the connection and every other call carry on.
    /// </summary>
    public ValueTask HandleFrameAsync(ReadOnlyMemory<byte> frame) => HandleFrameCoreAsync(frame, lent: false);

    /// <summary>
    /// Handles one incoming hypha frame that is only lent, valid until the returned task completes (a WebSocket's
    /// receive buffer), as <see cref="HandleFrameAsync"/>. Only the values a call or a result may read later are
    /// copied out of it, in one array: the user dict (about half of a forwarded frame) is read while the message is
    /// dispatched, into the call's context, and then dropped.
    /// </summary>
    public ValueTask HandleLentFrameAsync(ReadOnlyMemory<byte> frame) => HandleFrameCoreAsync(frame, lent: true);

    private ValueTask HandleFrameCoreAsync(ReadOnlyMemory<byte> frame, bool lent)
    {
        try
        {
            if (AnswerFrame.TryRead(frame, _readerOptions, out AnswerFrame answer) && TryTakeAnswer(frame, answer))
            {
                return ValueTask.CompletedTask;
            }

            if (RpcMessages.TryRead(frame, _readerOptions) is { } message)
            {
                if (!lent)
                {
                    return HandleAsync(message);
                }

                RpcMessages.DetachValues(message);
                ValueTask handled = HandleAsync(message);
                message.User = null;
                return handled;
            }

            // Not of rpc_method_v4's shape: an event with keys of its own, read as maps, whose values stay slices of
            // the frame.
            HyphaFrame decoded = HyphaFrame.Decode(lent ? frame.ToArray() : frame, _readerOptions);
            if (!decoded.Envelope.IsMethodCall)
            {
                RaiseEvent(decoded.Envelope.Type, decoded.Merge());
                return ValueTask.CompletedTask;
            }

            Options.Log?.Invoke("Dropped a call frame with fields no rpc_method_v4 message has.");
        }
        catch (Exception ex) when (ex is MsgPackException or HyphaProtocolException or ArgumentException)
        {
            // Whatever a peer sends, it affects that one message: never the receive loop that called us.
            Options.Log?.Invoke($"Dropped an invalid frame: {ex.Message}");
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Handles one message a native connection received in the binary form: an answer to one of this peer's calls is
    /// taken from the body as it lies (<see cref="BinaryAnswer"/>), anything else decoded and handled as
    /// <see cref="HandleAsync"/>. Read before this returns (later messages may replace the interned values it refers
    /// to); one that does not decode, or names no envelope this peer agreed, is dropped and logged.
    /// </summary>
    internal ValueTask HandleBinaryAsync(InboundMessage binary)
    {
        if (binary.Schema is { } schema && EnvelopeSchemas.IsBuiltIn(schema)
            && BinaryAnswer.TryRead(binary.Payload, binary.Interns, out BinaryAnswer answer) && TryTakeAnswer(answer, binary.Payload.Span))
        {
            return ValueTask.CompletedTask;
        }

        RpcMethodV4? message;
        try
        {
            message = EnvelopeCodec.TryRead(binary);
        }
        catch (SchemaFormatException ex)
        {
            Options.Log?.Invoke($"Dropped a binary message from the server that does not decode: {ex.Message}");
            return ValueTask.CompletedTask;
        }

        if (message is null)
        {
            Options.Log?.Invoke($"Dropped a binary message from the server that names schema number {binary.SchemaNumber}, which is not an envelope this client agreed.");
            return ValueTask.CompletedTask;
        }

        return HandleAsync(message);
    }

    /// <summary>
    /// Handles one incoming message already decoded (from the binary form of a native connection, or a frame): as
    /// <see cref="HandleFrameAsync"/>.
    /// </summary>
    /// <remarks>
    /// The message's user dict is read before this returns (into a call's context, or an event's map), never later:
    /// <see cref="HandleLentFrameAsync"/> relies on it.
    /// </remarks>
    public ValueTask HandleAsync(RpcMethodV4 message)
    {
        ArgumentNullException.ThrowIfNull(message);
        try
        {
            if (message.Type != HyphaKeys.MethodType)
            {
                RaiseEvent(message.Type, RpcMessages.Merge(message, _readerOptions));
                return ValueTask.CompletedTask;
            }

            Dispatch(new IncomingCall(message, _readerOptions));
        }
        catch (Exception ex) when (ex is MsgPackException or HyphaProtocolException or ArgumentException)
        {
            Options.Log?.Invoke($"Dropped an invalid message: {ex.Message}");
        }

        return ValueTask.CompletedTask;
    }

    // Event handlers are the application's code: one that throws must not take the connection down with it.
    private void RaiseEvent(string type, MsgPackMap message)
    {
        try
        {
            EventReceived?.Invoke(type, message);
        }
        catch (Exception ex)
        {
            Options.Log?.Invoke($"An event handler for '{type}' failed: {ex}");
        }
    }

    private void Dispatch(IncomingCall call, PayloadScope? payloads = null, Exception? unreadable = null)
    {
        RpcMethodV4 message = call.Message;
        string? from = message.From;
        string? method = message.Method;
        if (string.IsNullOrEmpty(from) || string.IsNullOrEmpty(method))
        {
            Options.Log?.Invoke("Dropped a call without 'from' or 'method'.");
            return;
        }

        if (unreadable is null && TryAnswer(call, method, from))
        {
            return;
        }

        string senderWorkspace = SenderWorkspaceOf(from);
        ReplyRoute? route = call.Promise switch
        {
            CompactPromise compact when message.Session is { } session => ReplyRoute.Compact(from, session, compact.HeartbeatInterval),
            ExplicitPromise explicitPromise => ReplyRoute.Explicit(explicitPromise, senderWorkspace),
            _ => null,
        };
        var reply = new Reply(this, route, message.Session, payloads);
        if (unreadable is not null)
        {
            FailUnreadable(message, reply, unreadable);
            return;
        }

        if (method.StartsWith(ServicesPrefix, StringComparison.Ordinal))
        {
            DispatchServiceCall(call, method, from, senderWorkspace, reply);
        }
        else
        {
            DispatchSessionCall(call, method, from, senderWorkspace, reply);
        }
    }

    // A typed service resolves the function's name to its method id with the generated switch; a dynamic one finds
    // the function in its members. Neither cuts a string out of the path.
    private void DispatchServiceCall(IncomingCall call, string method, string from, string senderWorkspace, Reply reply)
    {
        ReadOnlySpan<char> path = method.AsSpan(ServicesPrefix.Length);
        int dot = path.IndexOf('.');
        LocalService? service = dot > 0 && _servicesByName.TryGetValue(path[..dot], out LocalService? found) ? found : null;
        ReadOnlySpan<char> functionPath = dot > 0 ? path[(dot + 1)..] : default;
        int methodId = service?.Typed?.MethodId(functionPath) ?? -1;
        LocalFunction? function = service is { Typed: null } ? service.Members.FindFunction(functionPath) : null;
        if (service is null || (function is null && methodId < 0))
        {
            reply.Fail(new RemoteException($"Method not found: {from}:{method} at {Options.ClientId}"));
            return;
        }

        if (!service.Allows(senderWorkspace, Options.Workspace, callerIsManager: from == ManagerAddress))
        {
            reply.Fail(new RemoteException(
                $"Permission denied for invoking protected method {from}:{method}, workspace mismatch: {Options.Workspace} != {senderWorkspace}"));
            return;
        }

        if (function is null)
        {
            InvokeTyped(service.Typed!, methodId, call, from, senderWorkspace, reply);
            return;
        }

        RpcContext? context = service.RequiresContext(functionPath) ? ContextOf(call.Message) : null;
        Invoke(function, call, context, senderWorkspace, reply);
    }

    // A callback or generator a session handed out (answers to this peer's calls were taken by TryAnswer).
    private void DispatchSessionCall(IncomingCall call, string method, string from, string senderWorkspace, Reply reply)
    {
        int dot = method.IndexOf('.');
        string sessionId = dot > 0 ? method[..dot] : method;
        string name = dot > 0 ? method[(dot + 1)..] : string.Empty;
        if (!_sessions.TryGetValue(sessionId, out RpcSession? session))
        {
            reply.Fail(new RemoteException($"Session not found: {from}:{method}"));
            return;
        }

        if (session.TargetId != from)
        {
            reply.Fail(new RemoteException($"Access denied for method call ({from}:{method}) from {from} to target {session.TargetId}"));
            return;
        }

        session.Touch();
        bool close = name.EndsWith(":close", StringComparison.Ordinal);
        string objectId = close ? name[..^":close".Length] : name;
        switch (session.FindObject(objectId))
        {
            case LocalFunction callback:
                Invoke(callback, call, null, senderWorkspace, reply);
                return;
            case Typed.TypedCallback callback:
                InvokeTyped(callback, 0, call, from, senderWorkspace, reply);
                return;
            case IAsyncDisposable generator when close:
                RemoveSpent(session, objectId);
                reply.Run(async cancellationToken =>
                {
                    await generator.DisposeAsync().ConfigureAwait(false);
                    return null;
                });
                return;
            case GeneratorState generator:
                reply.Run(async cancellationToken =>
                {
                    (bool hasItem, object? item) = await generator.NextAsync().ConfigureAwait(false);
                    if (!hasItem)
                    {
                        RemoveSpent(session, objectId);
                        await generator.DisposeAsync().ConfigureAwait(false);
                        return StopIteration.Create();
                    }

                    return item;
                }, NativeChannel.Stream);
                return;
            case Typed.TypedGenerator generator:
                NextTypedItem(generator, session, objectId, reply);
                return;
            default:
                reply.Fail(new RemoteException($"Method expired or not found: {from}:{method}"));
                return;
        }
    }

    private void Invoke(LocalFunction function, IncomingCall incoming, RpcContext? context, string senderWorkspace, Reply reply) =>
        reply.Run(new LocalCall(this, function, incoming, context, senderWorkspace, reply.CallerSession));

    /// <summary>A call of a local function: its arguments decoded, then the function invoked.</summary>
    private readonly struct LocalCall(RpcPeer peer, LocalFunction function, IncomingCall incoming, RpcContext? context, string senderWorkspace,
        string? callerSession) : IReplyWork
    {
        public ValueTask<object?> RunAsync(CancellationToken cancellationToken)
        {
            // Callbacks in the arguments belong to the caller's session: calling them back names it as parent.
            HyphaCall call = incoming.Decoded;
            var args = new object?[call.Positional.Length];
            for (int i = 0; i < args.Length; i++)
            {
                args[i] = peer.DecodeArgument(call.Positional[i], senderWorkspace, callerSession);
            }

            Dictionary<string, object?>? kwargs = call.Kwargs is { } map
                ? (Dictionary<string, object?>?)peer.Decode(map, senderWorkspace, callerSession)
                : null;
            return function.InvokeAsync(args, kwargs, context, cancellationToken);
        }
    }

    private RpcContext ContextOf(RpcMethodV4 message)
    {
        string to = message.To ?? LocalAddress;
        return new RpcContext(RpcMessages.MainOf(message, _readerOptions), to.Contains('/') ? to : $"{WorkspaceOf(message.From!)}/{to}");
    }

    private static Exception ToException(MsgPackValue error) => HyphaObject.Decode(error) is RemoteError remote
        ? new RemoteException(remote.Message, remote.Trace)
        : new RemoteException(error.TryGetString(out string? text) ? text : $"Remote error: {error}");
}
