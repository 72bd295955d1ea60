using System.Buffers;
using System.IO.Pipelines;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Hypha.Protocol.WebSocketFrames;

namespace Hypha.Client.Connection;

/// <summary>
/// The client's side of the opening handshake (RFC 6455 §4.1) over a socket of its own: TCP without Nagle, TLS for
/// <c>wss://</c>, the upgrade request, and the checks of the 101 answer. No subprotocol and no extension is offered,
/// and an answer that agrees to one anyway is refused.
/// </summary>
internal static class WebSocketClientHandshake
{
    // Larger than any real answer to an upgrade; a server that sends more is not one to talk to.
    private const int MaxResponseBytes = 16 * 1024;

    // Large enough that one receive takes a whole burst of frames.
    private const int ReadBufferSize = 64 * 1024;

    /// <summary>Connects to <paramref name="uri"/> (<c>ws://</c> or <c>wss://</c>) and completes the upgrade.</summary>
    /// <returns>The stream frames are written to, and the reader of what follows the answer.</returns>
    /// <exception cref="HyphaConnectionException">The server answered anything but a valid 101.</exception>
    public static async Task<(Stream Stream, PipeReader Input)> ConnectAsync(Uri uri, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        Stream? stream = null;
        try
        {
            await socket.ConnectAsync(uri.DnsSafeHost, uri.Port, cancellationToken).ConfigureAwait(false);
            stream = new NetworkStream(socket, ownsSocket: true);
            if (uri.Scheme == "wss")
            {
                var tls = new SslStream(stream, leaveInnerStreamOpen: false);
                stream = tls;
                await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = uri.IdnHost }, cancellationToken)
                    .ConfigureAwait(false);
            }

            string key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
            await stream.WriteAsync(Request(uri, key), cancellationToken).ConfigureAwait(false);
            PipeReader input = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: ReadBufferSize, minimumReadSize: 4096, leaveOpen: true));
            await ReadResponseAsync(input, key, cancellationToken).ConfigureAwait(false);
            return (stream, input);
        }
        catch
        {
            if (stream is not null)
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }

            socket.Dispose();
            throw;
        }
    }

    private static byte[] Request(Uri uri, string key) => Encoding.ASCII.GetBytes(
        $"GET {uri.PathAndQuery} HTTP/1.1\r\n" +
        $"Host: {uri.Authority}\r\n" +
        "Upgrade: websocket\r\n" +
        "Connection: Upgrade\r\n" +
        $"Sec-WebSocket-Key: {key}\r\n" +
        $"Sec-WebSocket-Version: {WebSocketHandshake.Version}\r\n\r\n");

    // Reads the answer up to its blank line, leaving whatever follows (frames) in the reader.
    private static async Task ReadResponseAsync(PipeReader input, string key, CancellationToken cancellationToken)
    {
        while (true)
        {
            ReadResult result = await input.ReadAsync(cancellationToken).ConfigureAwait(false);
            var reader = new SequenceReader<byte>(result.Buffer);
            if (reader.TryReadTo(out ReadOnlySequence<byte> head, "\r\n\r\n"u8))
            {
                string text = Encoding.Latin1.GetString(head);
                input.AdvanceTo(reader.Position);
                Check(text, key);
                return;
            }

            if (result.Buffer.Length > MaxResponseBytes || result.IsCompleted)
            {
                throw new HyphaConnectionException(result.IsCompleted
                    ? "The server closed the connection before answering the WebSocket upgrade."
                    : "The server's answer to the WebSocket upgrade is too long.");
            }

            input.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }

    private static void Check(string head, string key)
    {
        string[] lines = head.Split("\r\n");
        string[] status = lines[0].Split(' ', 3);
        if (status.Length < 2 || !status[0].StartsWith("HTTP/1.", StringComparison.Ordinal) || status[1] != "101")
        {
            throw new HyphaConnectionException($"The server answered the WebSocket upgrade with '{lines[0]}' instead of 101.");
        }

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (string line in lines.AsSpan(1))
        {
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                string name = line[..colon].Trim();
                string value = line[(colon + 1)..].Trim();
                headers[name] = headers.TryGetValue(name, out string? earlier) ? $"{earlier}, {value}" : value;
            }
        }

        if (!Has(headers, "Upgrade", "websocket") || !Has(headers, "Connection", "upgrade"))
        {
            throw new HyphaConnectionException("The server's 101 answer does not upgrade to a WebSocket.");
        }

        if (headers.GetValueOrDefault("Sec-WebSocket-Accept") != WebSocketHandshake.ComputeAccept(key))
        {
            throw new HyphaConnectionException("The server's Sec-WebSocket-Accept does not match the key sent.");
        }

        if (headers.ContainsKey("Sec-WebSocket-Extensions") || headers.ContainsKey("Sec-WebSocket-Protocol"))
        {
            throw new HyphaConnectionException("The server agreed to a WebSocket extension or subprotocol that was not offered.");
        }
    }

    private static bool Has(Dictionary<string, string> headers, string name, string token) =>
        headers.TryGetValue(name, out string? value)
        && value.Split(',').Any(part => part.Trim().Equals(token, StringComparison.OrdinalIgnoreCase));
}
