using Hypha.Protocol.Messages;
using Hypha.Protocol.Objects;

namespace Hypha.Client.Rpc;

public sealed partial class RpcPeer
{
    /// <summary>
    /// The answer side of one incoming call: runs the work in the background, sends heartbeats while it runs when
    /// the caller asked for them, and sends the result through resolve or the error through reject.
    /// </summary>
    private sealed class Reply(RpcPeer peer, ExplicitPromise? promise, string? callerSession)
    {
        /// <summary>The caller's session: the parent of every message sent on its behalf.</summary>
        public string? CallerSession => callerSession;

        public void Fail(Exception error) => _ = RejectAsync(error);

        public void Run(Func<CancellationToken, ValueTask<object?>> work) => _ = RunAsync(work);

        private async Task RunAsync(Func<CancellationToken, ValueTask<object?>> work)
        {
            using var done = CancellationTokenSource.CreateLinkedTokenSource(peer._lifetime.Token);
            Task heartbeats = HeartbeatAsync(done.Token);
            object? result;
            try
            {
                result = await work(peer._lifetime.Token).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                await done.CancelAsync().ConfigureAwait(false);
                await RejectAsync(ex).ConfigureAwait(false);
                return;
            }
            finally
            {
                await done.CancelAsync().ConfigureAwait(false);
                await heartbeats.ConfigureAwait(false);
            }

            if (promise is null)
            {
                return;
            }

            try
            {
                await peer.CallRawAsync(promise.Resolve, [result], null, callerSession, peer._lifetime.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is NotSupportedException or ArgumentException)
            {
                // The result cannot be encoded: the caller still deserves an answer.
                await RejectAsync(ex).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                peer.Options.Log?.Invoke($"Could not send a result to {promise.Resolve.Target}: {ex.Message}");
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
                await peer.CallRawAsync(promise.Reject, [remote], null, callerSession, peer._lifetime.Token).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                peer.Options.Log?.Invoke($"Could not send an error to {promise.Reject.Target}: {ex.Message}");
            }
        }

        private async Task HeartbeatAsync(CancellationToken stop)
        {
            if (promise?.Heartbeat is not { } heartbeat || promise.HeartbeatInterval is not > 0)
            {
                return;
            }

            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(promise.HeartbeatInterval.Value));
            try
            {
                while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
                {
                    await peer.CallRawAsync(heartbeat, [], null, callerSession, stop).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException)
            {
                // The work finished: no more heartbeats.
            }
            catch (Exception ex)
            {
                peer.Options.Log?.Invoke($"Heartbeat to {heartbeat.Target} failed: {ex.Message}");
            }
        }
    }
}
