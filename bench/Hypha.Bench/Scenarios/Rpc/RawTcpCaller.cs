using System.Collections.Concurrent;
using System.Net.Sockets;

namespace Hypha.Bench.Scenarios.Rpc;

/// <summary>
/// The caller of the <c>raw-tcp</c> case: many requests in flight on one connection, each with an id, and one read
/// loop that hands every reply to the request with its id. Once the connection fails, every pending and later call
/// fails with the reason.
/// </summary>
/// <remarks>
/// Being the floor, it does what a hand-written socket program does and an RPC framework often cannot: a waiting call
/// continues on the read loop's thread, with no hand-off to another thread, and the requests the continued calls make
/// during one pass go out in one flush when the pass ends.
/// </remarks>
internal sealed class RawTcpCaller : IAsyncDisposable
{
    private readonly RawTcpSender _sender;
    private readonly RawTcpReadLoop _loop;
    private readonly ConcurrentDictionary<int, TaskCompletionSource<int>> _pending = new();
    private readonly Task _watch;
    private int _lastId;
    private Exception? _fault;

    private RawTcpCaller(Socket socket)
    {
        _sender = new RawTcpSender(socket);
        _loop = RawTcpReadLoop.Start(socket, "raw-tcp caller", Complete);
        _watch = FailWhenEndedAsync();
    }

    /// <summary>Starts calling on <paramref name="socket"/>, which it then owns.</summary>
    public static RawTcpCaller Start(Socket socket) => new(socket);

    /// <summary>Sends a request for <c>a + b</c>; completes with the sum the provider answered.</summary>
    public Task<int> AddAsync(int a, int b)
    {
        int id = Interlocked.Increment(ref _lastId);
        var reply = new TaskCompletionSource<int>(); // continuations run inline, on the read loop (see remarks)
        _pending[id] = reply;
        // Checked after registering, behind a full fence: Fail sets the fault before it fails what is pending, so
        // either it sees this call or this call sees the fault.
        Interlocked.MemoryBarrier();
        if (Volatile.Read(ref _fault) is Exception fault)
        {
            _pending.TryRemove(id, out _);
            return Task.FromException<int>(fault);
        }

        Span<byte> request = stackalloc byte[RawTcpMessages.RequestMessageBytes];
        RawTcpMessages.WriteRequest(request, id, a, b);
        _sender.Append(request);
        if (!_loop.IsCurrentThread) // on the loop's thread, the loop flushes when its pass ends
        {
            try
            {
                _sender.Flush();
            }
            catch (Exception ex)
            {
                Fail(new IOException($"raw-tcp caller: sending failed: {ex.Message}", ex));
            }
        }

        return reply.Task;
    }

    /// <summary>
    /// Fails every pending and later call with <paramref name="reason"/> (the first reason wins) and closes the
    /// connection, which ends the read loop.
    /// </summary>
    public void Fail(Exception reason)
    {
        if (Interlocked.CompareExchange(ref _fault, reason, null) is not null)
        {
            return;
        }

        foreach (int id in _pending.Keys)
        {
            if (_pending.TryRemove(id, out TaskCompletionSource<int>? reply))
            {
                reply.TrySetException(reason);
            }
        }

        _loop.Stop();
    }

    public async ValueTask DisposeAsync()
    {
        Fail(new ObjectDisposedException(nameof(RawTcpCaller)));
        await _watch.ConfigureAwait(false);
    }

    // Completes the call of every reply, then sends the requests the continued calls made meanwhile.
    private void Complete(ReadOnlySpan<byte> replies)
    {
        while (RawTcpMessages.TryTake(ref replies, out ReadOnlySpan<byte> payload))
        {
            (int id, int sum) = RawTcpMessages.ReadReply(payload);
            if (!_pending.TryRemove(id, out TaskCompletionSource<int>? reply))
            {
                throw new InvalidDataException($"a reply for request {id}, which is not pending.");
            }

            reply.TrySetResult(sum);
        }

        _sender.Flush();
    }

    private async Task FailWhenEndedAsync()
    {
        Exception reason = await _loop.Ended.ConfigureAwait(false);
        Fail(new IOException($"raw-tcp caller: {reason.Message}", reason)); // a no-op when disposing: that reason came first
    }
}
