using System.Net;
using System.Net.Sockets;

namespace Hypha.Bench.Scenarios.Rpc;

/// <summary>
/// The loopback topology of the <c>raw-tcp</c> case, shaped like a call routed through a server: a caller and a
/// provider each connected to a relay listening on 127.0.0.1 (ephemeral port). Disposing it closes every socket and
/// waits for every loop.
/// </summary>
internal sealed class RawTcpRoute : IAsyncDisposable
{
    // Connecting and accepting on loopback is immediate; a minute means something is badly wrong.
    private static readonly TimeSpan SetupLimit = TimeSpan.FromMinutes(1);

    private readonly RawTcpRelay _relay;
    private readonly RawTcpProvider _provider;

    private RawTcpRoute(RawTcpRelay relay, RawTcpProvider provider, RawTcpCaller caller)
    {
        _relay = relay;
        _provider = provider;
        Caller = caller;
    }

    public RawTcpCaller Caller { get; }

    public static async Task<RawTcpRoute> StartAsync()
    {
        using var limit = new CancellationTokenSource(SetupLimit);
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        var endPoint = (IPEndPoint)listener.LocalEndPoint!;

        // One peer at a time, so the relay knows which accepted connection is whose.
        var sockets = new List<Socket>(4);
        try
        {
            Socket provider = await ConnectAsync(endPoint, sockets, limit.Token).ConfigureAwait(false);
            Socket relayProviderSide = Configured(await listener.AcceptAsync(limit.Token).ConfigureAwait(false), sockets);
            Socket caller = await ConnectAsync(endPoint, sockets, limit.Token).ConfigureAwait(false);
            Socket relayCallerSide = Configured(await listener.AcceptAsync(limit.Token).ConfigureAwait(false), sockets);

            RawTcpCaller rawCaller = RawTcpCaller.Start(caller);
            return new RawTcpRoute(
                RawTcpRelay.Start(relayCallerSide, relayProviderSide, rawCaller.Fail),
                RawTcpProvider.Start(provider, rawCaller.Fail),
                rawCaller);
        }
        catch
        {
            foreach (Socket socket in sockets)
            {
                socket.Dispose();
            }

            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Caller.DisposeAsync().ConfigureAwait(false);
        await _provider.DisposeAsync().ConfigureAwait(false);
        await _relay.DisposeAsync().ConfigureAwait(false);
    }

    private static async Task<Socket> ConnectAsync(IPEndPoint endPoint, List<Socket> sockets, CancellationToken cancellation)
    {
        Socket socket = Configured(new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp), sockets);
        await socket.ConnectAsync(endPoint, cancellation).ConfigureAwait(false);
        return socket;
    }

    // Small messages go out at once (no Nagle delay); the list lets a failed setup close what it opened.
    private static Socket Configured(Socket socket, List<Socket> sockets)
    {
        sockets.Add(socket);
        socket.NoDelay = true;
        return socket;
    }
}
