using System.Diagnostics;
using Hypha.Client;
using Hypha.Client.Rpc;
using Hypha.Client.Services;
using Hypha.Protocol.Native;
using Hypha.Server;
using Hypha.Transport.Multiplexing;
using Hypha.Transport.SharedMemory;

namespace Hypha.Bench.Scenarios.Bulk;

/// <summary>
/// What a user sees: our server and four native clients (tcp://), a provider and a consumer with shared memory and a
/// pair without it (the same host announced as two, so everything goes over the bulk channels). The consumer calls
/// <c>sink(byte[])</c>; the time runs until the provider's function has the payload as a <see cref="ReadOnlyMemory{T}"/>.
/// Message limits are 512 MiB everywhere so that no payload falls back to hypha's chunking.
/// </summary>
internal sealed class EndToEndBulk : IAsyncDisposable
{
    private readonly string _directory;
    private readonly HyphaServer _server;
    private readonly HyphaClient[] _clients;
    private readonly Dictionary<string, RemoteFunction> _sinks;
    private readonly Dictionary<int, byte[]> _payloads = [];
    private long _usableAt;

    private EndToEndBulk(string directory, HyphaServer server, HyphaClient[] clients, Dictionary<string, RemoteFunction> sinks)
    {
        _directory = directory;
        _server = server;
        _clients = clients;
        _sinks = sinks;
    }

    public static async Task<EndToEndBulk> StartAsync()
    {
        string directory = Path.Combine("/dev/shm", $"hypha-bench-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        MultiplexerOptions Native(string? host) => new()
        {
            Settings = new NativeSettings { MaxMessage = 512 * 1024 * 1024, Host = host },
            SharedMemory = new SharedMemoryOptions { Directory = directory, MaxIdleBytes = 2L << 30 },
        };
        HyphaServer server = await HyphaServer.StartAsync(new HyphaServerOptions { Port = 0, Native = Native(null) }).ConfigureAwait(false);
        var clients = new List<HyphaClient>();
        var sinks = new Dictionary<string, RemoteFunction>();
        EndToEndBulk? bench = null;
        foreach ((string name, string? host) in new[] { ("e2e-shm", (string?)null), ("e2e-tcp", "bench-elsewhere") })
        {
            HyphaClient provider = await Connect(server.NativeUrl, Native(host)).ConfigureAwait(false);
            HyphaClient consumer = await Connect(server.NativeUrl, Native(host)).ConfigureAwait(false);
            clients.Add(provider);
            clients.Add(consumer);
            ServiceRegistration service = await provider.RegisterServiceAsync(new ServiceBuilder("bulk")
                .Visibility(ServiceVisibility.Public)
                .Add("sink", (ReadOnlyMemory<byte> data) => bench!.Arrived(data))).ConfigureAwait(false);
            sinks[name] = (await consumer.GetServiceAsync(service.Id).ConfigureAwait(false)).GetFunction("sink");
        }

        return bench = new EndToEndBulk(directory, server, [.. clients], sinks);
    }

    /// <summary>
    /// The bytes a case of <paramref name="size"/> sends: 1 KiB less from 256 MiB, since a whole message must stay within
    /// the RPC core's 256 MiB msgpack input limit.
    /// </summary>
    public static int PayloadSize(int size) => Math.Min(size, (256 << 20) - 1024);

    /// <summary>One call carrying <see cref="PayloadSize"/> bytes; the seconds until the provider had them.</summary>
    public async Task<double> TransferAsync(string name, int size)
    {
        size = PayloadSize(size);
        byte[] payload = _payloads.TryGetValue(size, out byte[]? existing) ? existing : _payloads[size] = new byte[size];
        long start = Stopwatch.GetTimestamp();
        int received = await _sinks[name].InvokeAsync<int>(payload).ConfigureAwait(false);
        if (received != size)
        {
            throw new InvalidOperationException($"{name}: {received} bytes arrived instead of {size}.");
        }

        await Task.Delay(5).ConfigureAwait(false); // the release goes back before the next transfer
        return (Volatile.Read(ref _usableAt) - start) / (double)Stopwatch.Frequency;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (HyphaClient client in _clients)
        {
            await client.DisposeAsync().ConfigureAwait(false);
        }

        await _server.DisposeAsync().ConfigureAwait(false);
        Directory.Delete(_directory, recursive: true);
    }

    private static Task<HyphaClient> Connect(string url, MultiplexerOptions native) =>
        HyphaClient.ConnectAsync(new HyphaClientOptions { ServerUrl = url, Native = native, MethodTimeout = TimeSpan.FromMinutes(2) });

    private int Arrived(ReadOnlyMemory<byte> data)
    {
        Volatile.Write(ref _usableAt, Stopwatch.GetTimestamp());
        return data.Length;
    }
}
