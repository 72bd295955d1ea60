using System.Buffers;
using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net.Sockets;

namespace Hypha.Bench.Scenarios.Rpc;

/// <summary>
/// The caller of the <c>raw-tcp</c> case: many requests in flight on one connection, each with an id, and one read
/// loop that hands every reply to the request with its id. Once the connection fails, every pending and later call
/// fails with the reason.
/// </summary>
/// <remarks>
/// Being the floor, it does what a hand-written socket program does and an RPC framework often cannot: a waiting call
/// continues on the read loop itself, with no hand-off to another thread, and the requests the continued calls make
/// during one pass over the received bytes go out in one flush when the pass ends. Side by side on the 2-core
/// machine, handing each reply to the thread pool instead (<see cref="TaskCreationOptions.RunContinuationsAsynchronously"/>,
/// each call flushing its own request) gave about twice the p50 and less than half the calls per second.
/// </remarks>
internal sealed class RawTcpCaller : IAsyncDisposable
{
    // The caller whose read loop is completing calls on this thread: requests made there wait for the pass's flush.
    [ThreadStatic]
    private static RawTcpCaller? t_completing;

    private readonly Socket _socket;
    private readonly RawTcpSender _sender;
    private readonly ConcurrentDictionary<int, TaskCompletionSource<int>> _pending = new();
    private readonly Task _loop;
    private int _lastId;
    private Exception? _fault;

    private RawTcpCaller(Socket socket)
    {
        _socket = socket;
        _sender = new RawTcpSender(socket);
        _loop = Task.Run(ReceiveAsync);
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
        if (t_completing == this)
        {
            return reply.Task; // the read loop flushes when its pass ends
        }

        Task flushed = _sender.FlushAsync();
        if (!flushed.IsCompletedSuccessfully)
        {
            _ = FailWhenFaultedAsync(flushed);
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

        _socket.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        Fail(new ObjectDisposedException(nameof(RawTcpCaller)));
        await _loop.ConfigureAwait(false);
    }

    private async Task FailWhenFaultedAsync(Task flushed)
    {
        try
        {
            await flushed.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Fail(new IOException($"raw-tcp caller: sending failed: {ex.Message}", ex));
        }
    }

    private async Task ReceiveAsync()
    {
        PipeReader reader = PipeReader.Create(new NetworkStream(_socket, ownsSocket: false));
        try
        {
            while (true)
            {
                ReadResult read = await reader.ReadAsync().ConfigureAwait(false);
                ReadOnlySequence<byte> rest = Complete(read.Buffer);
                reader.AdvanceTo(rest.Start, read.Buffer.End);
                await _sender.FlushAsync().ConfigureAwait(false);
                if (read.IsCompleted)
                {
                    throw new IOException("the relay closed the connection.");
                }
            }
        }
        catch (Exception ex)
        {
            Fail(new IOException($"raw-tcp caller: {ex.Message}", ex)); // a no-op when disposing: that reason came first
        }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
        }
    }

    // Completes the call of every whole reply in the buffer; returns what is left (the start of a partial reply).
    private ReadOnlySequence<byte> Complete(ReadOnlySequence<byte> buffer)
    {
        t_completing = this;
        try
        {
            while (RawTcpMessages.TryTake(ref buffer, out ReadOnlySequence<byte> payload))
            {
                (int id, int sum) = RawTcpMessages.ReadReply(payload);
                if (!_pending.TryRemove(id, out TaskCompletionSource<int>? reply))
                {
                    throw new InvalidDataException($"a reply for request {id}, which is not pending.");
                }

                reply.TrySetResult(sum);
            }

            return buffer;
        }
        finally
        {
            t_completing = null;
        }
    }
}
