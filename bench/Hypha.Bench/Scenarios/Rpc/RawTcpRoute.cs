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
    private readonly RawTcpRelay _relay;
    private readonly RawTcpProvider _provider;

    private RawTcpRoute(RawTcpRelay relay, RawTcpProvider provider, RawTcpCaller caller)
    {
        _relay = relay;
        _provider = provider;
        Caller = caller;
    }

    public RawTcpCaller Caller { get; }

    /// <summary>
    /// Connects the peers and starts every loop. Connect and accept are synchronous on purpose: on Unix, .NET puts a
    /// socket that has seen one asynchronous operation into non-blocking mode for good, and its blocking receives are
    /// then emulated through the event thread, the very hand-off the read loops avoid. Each accept finds its
    /// connection already queued, since the connect before it has completed.
    /// </summary>
    public static RawTcpRoute Start()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        var endPoint = (IPEndPoint)listener.LocalEndPoint!;

        // One peer at a time, so the relay knows which accepted connection is whose.
        var sockets = new List<Socket>(4);
        try
        {
            Socket provider = Connect(endPoint, sockets);
            Socket relayProviderSide = Configured(listener.Accept(), sockets);
            Socket caller = Connect(endPoint, sockets);
            Socket relayCallerSide = Configured(listener.Accept(), sockets);

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

    private static Socket Connect(IPEndPoint endPoint, List<Socket> sockets)
    {
        Socket socket = Configured(new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp), sockets);
        socket.Connect(endPoint);
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
