using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Hypha.Protocol.MsgPack;
using Hypha.Protocol.Native;
using Hypha.Transport.Connections;
using Hypha.Transport.Multiplexing;
using Hypha.Transport.SharedMemory;

namespace Hypha.Bench.Scenarios.Bulk;

/// <summary>
/// Two multiplexers on one TCP loopback connection that agreed to shared memory (in a directory of the bench's own
/// under /dev/shm), with default windows and frame size, the message limit raised to 512 MiB so that 256 MiB travels
/// as one bulk message. The receiver signals when a payload is usable: a bulk message assembled, or a reference mapped
/// and checked; it then lets go of it (the release travels back untimed, before the next transfer).
/// </summary>
internal sealed class MuxBulkPair : IAsyncDisposable
{
    private readonly SocketTransport _clientEnd;
    private readonly SocketTransport _serverEnd;
    private readonly Multiplexer _client;
    private readonly Multiplexer _server;
    private readonly string _directory;
    private readonly Dictionary<int, byte[]> _payloads = [];
    private readonly Dictionary<int, byte[]> _destinations = [];
    private TaskCompletionSource<int>? _usable;

    private MuxBulkPair(SocketTransport clientEnd, SocketTransport serverEnd, Multiplexer client, Multiplexer server, string directory)
    {
        _clientEnd = clientEnd;
        _serverEnd = serverEnd;
        _client = client;
        _server = server;
        _directory = directory;
    }

    public static async Task<MuxBulkPair> StartAsync()
    {
        string directory = Path.Combine("/dev/shm", $"hypha-bench-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        var options = new MultiplexerOptions
        {
            Settings = new NativeSettings { MaxMessage = 512 * 1024 * 1024 },
            SharedMemory = new SharedMemoryOptions { Directory = directory, MaxIdleBytes = 2L << 30 },
        };
        using var listener = new Socket(SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        Task<Socket> accepting = listener.AcceptAsync();
        SocketTransport clientEnd = await SocketTransport.ConnectTcpAsync("127.0.0.1", ((IPEndPoint)listener.LocalEndPoint!).Port, CancellationToken.None)
            .ConfigureAwait(false);
        SocketTransport serverEnd = SocketTransport.FromConnected(await accepting.ConfigureAwait(false));
        NativeSettings offer = NativeHandshake.Offer(options);
        Task<(NativeSettings, MsgPackMap)> connecting = NativeHandshake.ConnectAsync(clientEnd, offer, [], CancellationToken.None);
        (NativeSettings clientSettings, _) = await NativeHandshake.ReadHelloAsync(serverEnd, CancellationToken.None).ConfigureAwait(false);
        NativeSettings answer = NativeHandshake.Answer(options, clientSettings);
        await NativeHandshake.AcceptAsync(serverEnd, answer, [], CancellationToken.None).ConfigureAwait(false);
        (NativeSettings serverSettings, _) = await connecting.ConfigureAwait(false);

        var pair = new MuxBulkPair(clientEnd, serverEnd, new Multiplexer(clientEnd, options with { Settings = offer }, serverSettings),
            new Multiplexer(serverEnd, options with { Settings = answer }, clientSettings), directory);
        if (!pair._client.CanShareMemory)
        {
            throw new InvalidOperationException("The bench's two peers did not agree to shared memory.");
        }

        pair._client.Start(_ => ValueTask.CompletedTask);
        pair._server.Start(pair.Receive);
        return pair;
    }

    /// <summary>One transfer of <paramref name="size"/> bytes in case <paramref name="name"/>; the seconds it took.</summary>
    public async Task<double> TransferAsync(string name, int size)
    {
        byte[] payload = Payload(size);
        _usable = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        long start = Stopwatch.GetTimestamp();
        switch (name)
        {
            case "shm":
                if (!_client.TrySendShared(new byte[] { 1 }, [payload]))
                {
                    throw new InvalidOperationException("The shared-memory pool refused a payload.");
                }

                break;
            case "tcp":
                await _client.SendAsync(NativeChannel.Bulk, payload).ConfigureAwait(false);
                break;
            default:
                payload.CopyTo(Destination(size), 0);
                return Stopwatch.GetElapsedTime(start).TotalSeconds;
        }

        int received = await _usable.Task.WaitAsync(TimeSpan.FromMinutes(1)).ConfigureAwait(false);
        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        if (received != size)
        {
            throw new InvalidOperationException($"{name}: {received} bytes arrived instead of {size}.");
        }

        await Task.Delay(5).ConfigureAwait(false); // the release goes back before the next transfer
        return seconds;
    }

    public async ValueTask DisposeAsync()
    {
        await _client.DisposeAsync().ConfigureAwait(false);
        await _server.DisposeAsync().ConfigureAwait(false);
        await _clientEnd.DisposeAsync().ConfigureAwait(false);
        await _serverEnd.DisposeAsync().ConfigureAwait(false);
        Directory.Delete(_directory, recursive: true);
    }

    private ValueTask Receive(InboundMessage message)
    {
        if (message.Attachments is [SharedMemoryLease lease])
        {
            using (lease)
            {
                lease.Open();
                _usable!.TrySetResult(lease.Memory.Length);
            }
        }
        else
        {
            _usable!.TrySetResult(message.Payload.Length);
        }

        return ValueTask.CompletedTask;
    }

    private byte[] Payload(int size)
    {
        if (!_payloads.TryGetValue(size, out byte[]? payload))
        {
            _payloads[size] = payload = new byte[size];
            Random.Shared.NextBytes(payload);
        }

        return payload;
    }

    private byte[] Destination(int size) => _destinations.TryGetValue(size, out byte[]? destination) ? destination : _destinations[size] = new byte[size];
}
