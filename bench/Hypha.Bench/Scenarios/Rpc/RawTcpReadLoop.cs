using System.Diagnostics;
using System.Net.Sockets;

namespace Hypha.Bench.Scenarios.Rpc;

/// <summary>Handles the whole messages one receive completed, in one pass.</summary>
internal delegate void RawTcpMessagesHandler(ReadOnlySpan<byte> wholeMessages);

/// <summary>
/// One socket's read loop in the <c>raw-tcp</c> case: a thread of its own that polls briefly for bytes, then blocks in
/// receive, so no event thread and no thread-pool hand-off stand between the bytes and the handler. Each receive takes
/// everything that has arrived, and the whole messages in it go to the handler in one pass.
/// </summary>
/// <remarks>
/// <para>
/// The floor should be the fastest plain design, and on the 2-core machine this one is: an asynchronous version of the
/// same loops (PipeReader over NetworkStream, the same batching, the same inline completion of calls) made 430,000 to
/// 480,000 calls/s in this scenario; these loops make 510,000 to 1,200,000, the higher figures when the scheduler keeps
/// them on one vCPU.
/// </para>
/// <para>
/// Blocking sends from these threads cannot deadlock the route: with a fixed number of calls in flight, every byte in
/// transit (64 × 244 bytes) fits in the loopback socket buffers many times over.
/// </para>
/// </remarks>
internal sealed class RawTcpReadLoop
{
    // How long a loop polls before it blocks. On this virtual machine, waking a thread that sleeps on the other vCPU
    // costs tens of microseconds per hop, and a call with one in flight makes four hops. Polling (yielding to any
    // thread that has work) kept the p50 at 24 to 53 µs in quick runs where blocking at once gave 83 to 96 µs. The
    // thread pool and Kestrel's transport spin before they sleep for the same reason.
    private static readonly long PollTicks = Stopwatch.Frequency / 10_000; // 100 µs

    private readonly Socket _socket;
    private readonly RawTcpMessagesHandler _handler;
    private readonly TaskCompletionSource<Exception> _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Thread _thread;

    private RawTcpReadLoop(Socket socket, string name, RawTcpMessagesHandler handler)
    {
        _socket = socket;
        _handler = handler;
        _thread = new Thread(Run) { IsBackground = true, Name = name };
        _thread.Start();
    }

    /// <summary>
    /// Completes with the reason the loop ended: the peer closed the connection, the socket was closed here (disposal),
    /// the stream was out of step, or the handler threw.
    /// </summary>
    public Task<Exception> Ended => _ended.Task;

    /// <summary>True on the loop's own thread: code the handler runs (inline continuations included) is there.</summary>
    public bool IsCurrentThread => Thread.CurrentThread == _thread;

    /// <summary>Starts reading <paramref name="socket"/>, which the loop then owns.</summary>
    public static RawTcpReadLoop Start(Socket socket, string name, RawTcpMessagesHandler handler) => new(socket, name, handler);

    /// <summary>Closes the socket, which ends the loop. Shutting it down first wakes a receive that is blocked in the kernel.</summary>
    public void Stop()
    {
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Already closed, or never connected: nothing is blocked on it.
        }

        _socket.Dispose();
    }

    private void Run()
    {
        // Room for every message in flight and then some; a partial message is moved to the front before it can fill up.
        var buffer = new byte[64 * 1024];
        int start = 0;
        int end = 0;
        try
        {
            while (true)
            {
                if (buffer.Length - end < RawTcpMessages.HeaderBytes + RawTcpMessages.MaxPayloadBytes)
                {
                    buffer.AsSpan(start, end - start).CopyTo(buffer);
                    (start, end) = (0, end - start);
                }

                PollBriefly();
                int received = _socket.Receive(buffer, end, buffer.Length - end, SocketFlags.None);
                if (received == 0)
                {
                    throw new IOException("the connection was closed by its peer.");
                }

                end += received;
                int whole = RawTcpMessages.WholeLength(buffer.AsSpan(start, end - start));
                if (whole > 0)
                {
                    _handler(buffer.AsSpan(start, whole));
                    start += whole;
                }

                if (start == end)
                {
                    (start, end) = (0, 0);
                }
            }
        }
        catch (Exception ex)
        {
            _ended.SetResult(ex);
        }
    }

    private void PollBriefly()
    {
        long deadline = Stopwatch.GetTimestamp() + PollTicks;
        while (_socket.Available == 0 && Stopwatch.GetTimestamp() < deadline)
        {
            Thread.Yield();
        }
    }
}
