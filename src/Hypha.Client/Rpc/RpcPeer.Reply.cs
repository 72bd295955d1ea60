using Hypha.Protocol.Messages;
using Hypha.Protocol.Native;
using Hypha.Protocol.Objects;

namespace Hypha.Client.Rpc;

public sealed partial class RpcPeer
{
    /// <summary>
    /// The answer side of one incoming call: runs the work in the background, sends heartbeats while it runs when
    /// the caller asked for them, and sends the result through resolve or the error through reject.
    /// The call's payloads in shared memory, if any, are let go once the answer is sent.
    /// </summary>
    private sealed class Reply(RpcPeer peer, ReplyRoute? promise, string? callerSession, PayloadScope? payloads = null)
    {
        /// <summary>The caller's session: the parent of every message sent on its behalf.</summary>
        public string? CallerSession => callerSession;

        /// <summary>Where the result goes (the caller, for the compact promise), or null when none is expected.</summary>
        public string? ResultTarget => promise?.ResolveTarget;

        public void Fail(Exception error)
        {
            payloads?.Claim();
            _ = FailAsync(error);
        }

        /// <summary>
        /// Runs <paramref name="work"/> and sends its result on <paramref name="channel"/>: <see cref="NativeChannel.Stream"/>
        /// for a generator's next item, <see cref="NativeChannel.Rpc"/> for everything else.
        /// </summary>
        public void Run(Func<CancellationToken, ValueTask<object?>> work, NativeChannel channel = NativeChannel.Rpc) =>
            Run(new DelegateWork(work), channel);

        /// <summary>
        /// Runs <paramref name="work"/> as <see cref="Run(Func{CancellationToken, ValueTask{object}}, NativeChannel)"/>
        /// does: a struct carries what the work needs, so the common calls allocate no closure and no delegate.
        /// </summary>
        public void Run<TWork>(TWork work, NativeChannel channel = NativeChannel.Rpc)
            where TWork : struct, IReplyWork
        {
            payloads?.Claim();
            if (Interlocked.Increment(ref peer._runningCalls) > peer.Options.MaxConcurrentCalls)
            {
                Interlocked.Decrement(ref peer._runningCalls);
                Fail(new RemoteException($"Too many concurrent calls: {peer.Options.ClientId} runs at most {peer.Options.MaxConcurrentCalls} at once."));
                return;
            }

            _ = RunCountedAsync(work, channel);
        }

        private async Task RunCountedAsync<TWork>(TWork work, NativeChannel channel)
            where TWork : struct, IReplyWork
        {
            try
            {
                await RunAsync(work, channel).ConfigureAwait(false);
            }
            finally
            {
                Interlocked.Decrement(ref peer._runningCalls);
                payloads?.Dispose();
            }
        }

        private async Task FailAsync(Exception error)
        {
            try
            {
                await RejectAsync(error).ConfigureAwait(false);
            }
            finally
            {
                payloads?.Dispose();
            }
        }

        private async Task RunAsync<TWork>(TWork work, NativeChannel channel)
            where TWork : struct, IReplyWork
        {
            object? result;
            try
            {
                ValueTask<object?> running = work.RunAsync(peer._stopping);
                result = running.IsCompletedSuccessfully ? running.Result : await WithHeartbeatsAsync(running.AsTask()).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                await RejectAsync(ex).ConfigureAwait(false);
                return;
            }

            if (promise is null)
            {
                (result as Typed.TypedResponse)?.Dispose();
                return;
            }

            try
            {
                if (result is Typed.TypedResponse typed)
                {
                    // A typed function's result is written already: it goes as it is.
                    await peer.SendTypedAnswerAsync(promise.Resolve, typed, callerSession, channel).ConfigureAwait(false);
                    return;
                }

                await peer.NotifyAsync(promise.Resolve, [result], callerSession, peer._stopping, channel).ConfigureAwait(false);

                // A payload returned is the peer's to let go of once sent (its bytes stay until the receiver is done).
                (result as System.Buffers.IMemoryOwner<byte>)?.Dispose();
            }
            catch (Exception ex) when (ex is RemoteException or OperationCanceledException or ObjectDisposedException)
            {
                peer.Options.Log?.Invoke($"Could not send a result to {promise.Resolve.Target}: {ex.Message}");
            }
            catch (Exception ex)
            {
                // The result could not be encoded: the caller still deserves an answer.
                await RejectAsync(ex).ConfigureAwait(false);
            }
        }

        private async Task RejectAsync(Exception error)
        {
            if (promise is null)
            {
                peer.Options.Log?.Invoke($"A call that expects no answer failed: {error.Message}");
                return;
            }

            try
            {
                // Like a Python traceback, the trace names the exception type before the stack.
                RemoteError remote = RemoteError.Create(error.Message, error is RemoteException { RemoteTrace: { } trace } ? trace : error.ToString());
                await peer.NotifyAsync(promise.Reject, [remote], callerSession, peer._stopping).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                peer.Options.Log?.Invoke($"Could not send an error to {promise.Reject.Target}: {ex.Message}");
            }
        }

        // Heartbeats tell the caller the work is still running, so its timeout is renewed. Most calls finish before
        // the first interval: no timer runs for them, and nothing is thrown to stop one.
        private async Task<object?> WithHeartbeatsAsync(Task<object?> work)
        {
            if (promise?.Heartbeat is not { } heartbeat || promise.HeartbeatInterval is not > 0)
            {
                return await work.ConfigureAwait(false);
            }

            TimeSpan interval = TimeSpan.FromSeconds(promise.HeartbeatInterval.Value);
            using var stop = new CancellationTokenSource();
            while (await Task.WhenAny(work, Task.Delay(interval, stop.Token)).ConfigureAwait(false) != work)
            {
                try
                {
                    await peer.NotifyAsync(heartbeat, [], callerSession, peer._stopping).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is RemoteException or ObjectDisposedException or OperationCanceledException)
                {
                    peer.Options.Log?.Invoke($"Heartbeat to {heartbeat.Target} failed: {ex.Message}");
                }
            }

            await stop.CancelAsync().ConfigureAwait(false);
            return await work.ConfigureAwait(false);
        }
    }

    /// <summary>The work an incoming call runs, given the token that stops it when the peer closes.</summary>
    private interface IReplyWork
    {
        ValueTask<object?> RunAsync(CancellationToken cancellationToken);
    }

    private readonly struct DelegateWork(Func<CancellationToken, ValueTask<object?>> work) : IReplyWork
    {
        public ValueTask<object?> RunAsync(CancellationToken cancellationToken) => work(cancellationToken);
    }
}
