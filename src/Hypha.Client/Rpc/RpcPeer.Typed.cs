using System.Collections.Concurrent;
using Hypha.Client.Typed;
using Hypha.Protocol.Native;
using Hypha.Protocol.Objects;

namespace Hypha.Client.Rpc;

public sealed partial class RpcPeer
{
    // Running calls of typed methods that take a CancellationToken, by caller and the caller's session: the caller's
    // cancel (the built-in "cancel" function) finds them here. Only the caller the server stamped may cancel.
    private readonly ConcurrentDictionary<(string Caller, string Session), CancellationTokenSource> _cancellable = new();

    /// <summary>
    /// Runs a call of a typed service method or callback: the generated dispatcher reads the arguments straight from
    /// the message and writes the result into a <see cref="TypedResponse"/>, which the reply sends as it is. Heartbeats,
    /// errors, concurrency limits and payload lifetimes are the reply's, as for every call.
    /// </summary>
    private void InvokeTyped(ITypedInvocable target, int methodId, IncomingCall call, string from, string senderWorkspace, Reply reply)
    {
        // A call marked with a record fingerprint carries its records in binary form and wants its answer's so. Another
        // contract version's binary records would decode into the wrong fields, so such a call goes no further.
        string? records = call.Message.Records;
        if (records is not null && records != target.RecordsFingerprint)
        {
            reply.Fail(new RemoteException($"{call.Message.Method}: the caller wrote its records for contract version {records}, but this service's is "
                + $"{target.RecordsFingerprint ?? "without binary records"}: get the service again"));
            return;
        }

        (string, string)? cancellable = target.TakesCancellation(methodId) && call.Message.Session is { } session ? (from, session) : null;
        RpcContext? caller = target.TakesContext(methodId) ? ContextOf(call.Message) : null;
        reply.Run(new TypedCall(this, target, methodId, call, from, senderWorkspace, reply, records, cancellable, caller));
    }

    /// <summary>A call of a typed method: the dispatcher reads the arguments and writes the result into a response.</summary>
    private readonly struct TypedCall(RpcPeer peer, ITypedInvocable target, int methodId, IncomingCall call, string from, string senderWorkspace,
        Reply reply, string? records, (string, string)? cancellable, RpcContext? caller) : IReplyWork
    {
        public ValueTask<object?> RunAsync(CancellationToken stopping)
        {
            var request = new TypedRequest(call.RawArguments, call.WithKwargs,
                new TypedReadContext(peer, senderWorkspace, reply.CallerSession, call.Attachments, call.ReaderOptions, records: records), caller);
            var response = TypedResponse.Rent(peer, reply.ResultTarget ?? from);
            response.WritesBinaryRecords = records is not null;
            CancellationTokenSource? cancellation = null;
            try
            {
                if (cancellable is { } key)
                {
                    cancellation = CancellationTokenSource.CreateLinkedTokenSource(stopping);
                    peer._cancellable[key] = cancellation;
                }

                ValueTask running = target.InvokeAsync(methodId, request, response, cancellation?.Token ?? stopping);
                if (running.IsCompletedSuccessfully)
                {
                    peer.EndCancellable(cancellable, cancellation);
                    return new ValueTask<object?>(response);
                }

                return peer.AwaitTypedAsync(running, response, cancellable, cancellation);
            }
            catch
            {
                peer.EndCancellable(cancellable, cancellation);
                response.Dispose();
                throw;
            }
        }
    }

    private async ValueTask<object?> AwaitTypedAsync(ValueTask running, TypedResponse response, (string, string)? cancellable, CancellationTokenSource? cancellation)
    {
        try
        {
            await running.ConfigureAwait(false);
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
        finally
        {
            EndCancellable(cancellable, cancellation);
        }
    }

    private void EndCancellable((string, string)? cancellable, CancellationTokenSource? cancellation)
    {
        if (cancellable is { } key && cancellation is not null)
        {
            _cancellable.TryRemove(new KeyValuePair<(string, string), CancellationTokenSource>(key, cancellation));
            cancellation.Dispose();
        }
    }

    // The built-in cancel: the caller of a running call asks it to stop. False when no such call runs (it finished).
    private bool CancelCall(string caller, string session)
    {
        if (!_cancellable.TryGetValue((caller, session), out CancellationTokenSource? cancellation))
        {
            return false;
        }

        try
        {
            cancellation.Cancel();
            return true;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
    }

    // Tells a callee that its caller gave up a call, fire and forget (a callee that finished already ignores it).
    private void CancelRemotely(string target, string session) =>
        _ = TryCallAsync(RemoteMethod.Create(target, $"services.{BuiltInServiceId}.cancel"), session);

    private void NextTypedItem(TypedGenerator generator, RpcSession session, string objectId, Reply reply) =>
        reply.Run(async _ =>
        {
            var response = TypedResponse.Rent(this, reply.ResultTarget ?? session.TargetId);
            response.WritesBinaryRecords = generator.WritesBinaryRecords;
            try
            {
                if (!await generator.NextAsync(response).ConfigureAwait(false))
                {
                    RemoveSpent(session, objectId);
                    await generator.DisposeAsync().ConfigureAwait(false);
                }

                return response;
            }
            catch
            {
                response.Dispose();
                throw;
            }
        }, NativeChannel.Stream);

    /// <summary>
    /// Sends a typed result as the resolve of the call it answers, in the name of the session that holds what the
    /// result handed out (created while it was written), and returns the response's buffer.
    /// </summary>
    private async Task SendTypedAnswerAsync(ReplyEndpoint resolve, TypedResponse response, string? callerSession, NativeChannel channel)
    {
        try
        {
            var args = new OutgoingArguments(response.Written, response.Attachments);
            if (response.TakeSession() is { } session)
            {
                await SendCallAsync(session, resolve.Method, RemotePromiseMode.None, args, false, callerSession, channel, _stopping).ConfigureAwait(false);
                return;
            }

            // A result that handed nothing out needs no session of its own (a session was opened and dropped per call).
            await SendWithoutSessionAsync(resolve.Target, resolve.Method, args, callerSession, channel, _stopping).ConfigureAwait(false);
        }
        finally
        {
            response.Dispose();
        }
    }
}
