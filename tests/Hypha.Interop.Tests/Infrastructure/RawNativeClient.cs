using System.Net.Sockets;
using System.Threading.Channels;
using Hypha.Protocol.MsgPack;
using Hypha.Protocol.Native;
using Hypha.Protocol.Schemas;
using Hypha.Transport.Connections;
using Hypha.Transport.Multiplexing;

namespace Hypha.Interop.Tests.Infrastructure;

/// <summary>A native connection driven by hand: a handshake with chosen schema offers, then a multiplexer whose messages a test reads.</summary>
internal sealed class RawNativeClient : IAsyncDisposable
{
    private readonly SocketTransport _transport;
    private readonly Channel<InboundMessage> _received = Channel.CreateUnbounded<InboundMessage>();

    private RawNativeClient(SocketTransport transport, Multiplexer mux, string address)
    {
        _transport = transport;
        Mux = mux;
        Address = address;
    }

    public Multiplexer Mux { get; }

    public string Address { get; }

    public static async Task<RawNativeClient> ConnectAsync(LiveServer server, string clientId, IReadOnlyList<SchemaOffer> offers)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync("127.0.0.1", new Uri(server.Url).Port);
        SocketTransport transport = SocketTransport.FromConnected(socket);
        var options = new MultiplexerOptions { Settings = new NativeSettings { Schemas = offers } };
        var auth = new MsgPackMap { { "client_id", clientId } };
        (NativeSettings serverSettings, MsgPackMap info) = await NativeHandshake.ConnectAsync(transport, options.Settings, auth, CancellationToken.None);
        var client = new RawNativeClient(transport, new Multiplexer(transport, options, serverSettings), $"{info["workspace"].AsString()}/{clientId}");
        client.Mux.Start(message =>
        {
            // A test reads a binary body after this returns, which is safe only while no later message can change
            // the intern table it refers to: tests that read bodies wait for one answer at a time.
            client._received.Writer.TryWrite(message);
            return ValueTask.CompletedTask;
        });
        return client;
    }

    public async Task<InboundMessage> NextAsync() => await _received.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

    public async ValueTask DisposeAsync()
    {
        await Mux.DisposeAsync();
        await _transport.DisposeAsync();
    }
}
