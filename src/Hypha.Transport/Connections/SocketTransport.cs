using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;

namespace Hypha.Transport.Connections;

/// <summary>
/// A client socket (TCP without Nagle, or a Unix domain socket) as a pair of pipes. Reads and writes run on the
/// caller's loops: no extra threads or copies between the socket and the multiplexer.
/// </summary>
public sealed class SocketTransport : IDuplexPipe, IAsyncDisposable
{
    // Large enough that a batch of frames reaches the socket in one write.
    private const int MinimumSegment = 64 * 1024;

    private readonly Socket _socket;
    private readonly NetworkStream _stream;

    private SocketTransport(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
        Input = PipeReader.Create(_stream, new StreamPipeReaderOptions(bufferSize: MinimumSegment, minimumReadSize: 4096, leaveOpen: true));
        Output = PipeWriter.Create(_stream, new StreamPipeWriterOptions(minimumBufferSize: MinimumSegment, leaveOpen: true));
    }

    /// <inheritdoc />
    public PipeReader Input { get; }

    /// <inheritdoc />
    public PipeWriter Output { get; }

    /// <summary>Connects over TCP.</summary>
    public static async Task<SocketTransport> ConnectTcpAsync(string host, int port, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(host, port, cancellationToken).ConfigureAwait(false);
            return new SocketTransport(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Connects to a Unix domain socket.</summary>
    public static async Task<SocketTransport> ConnectUnixAsync(string path, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cancellationToken).ConfigureAwait(false);
            return new SocketTransport(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Wraps a socket that is already connected (an accepted one, for tests and benchmarks).</summary>
    public static SocketTransport FromConnected(Socket socket) => new(socket ?? throw new ArgumentNullException(nameof(socket)));

    /// <summary>The remote end point, for logs.</summary>
    public EndPoint? RemoteEndPoint => _socket.RemoteEndPoint;

    /// <summary>Closes the socket; pending reads and writes end.</summary>
    public async ValueTask DisposeAsync()
    {
        await Input.CompleteAsync().ConfigureAwait(false);
        await Output.CompleteAsync().ConfigureAwait(false);
        _socket.Dispose();
        await _stream.DisposeAsync().ConfigureAwait(false);
    }
}
