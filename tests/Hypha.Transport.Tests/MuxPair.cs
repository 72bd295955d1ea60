using System.IO.Pipelines;
using System.Threading.Channels;
using Hypha.Protocol.MsgPack;
using Hypha.Protocol.Native;
using Hypha.Transport.Connections;
using Hypha.Transport.Multiplexing;

namespace Hypha.Transport.Tests;

/// <summary>A client and a server multiplexer joined in memory after a real handshake, each recording what it receives.</summary>
internal sealed class MuxPair : IAsyncDisposable
{
    private MuxPair(Multiplexer client, Multiplexer server, MsgPackMap auth, MsgPackMap info)
    {
        Client = client;
        Server = server;
        Auth = auth;
        ConnectionInfo = info;
    }

    public Multiplexer Client { get; }

    public Multiplexer Server { get; }

    public MsgPackMap Auth { get; }

    public MsgPackMap ConnectionInfo { get; }

    public Channel<(NativeChannel Channel, byte[] Message)> ServerReceived { get; } = Channel.CreateUnbounded<(NativeChannel, byte[])>();

    public Channel<(NativeChannel Channel, byte[] Message)> ClientReceived { get; } = Channel.CreateUnbounded<(NativeChannel, byte[])>();

    /// <summary>Handshakes and starts both sides; <paramref name="serverHandler"/> replaces the recording handler.</summary>
    public static async Task<MuxPair> StartAsync(MultiplexerOptions? clientOptions = null, MultiplexerOptions? serverOptions = null,
        IncomingHandler? serverHandler = null, PipeOptions? pipeOptions = null)
    {
        clientOptions ??= new MultiplexerOptions();
        serverOptions ??= new MultiplexerOptions();
        (IDuplexPipe clientEnd, IDuplexPipe serverEnd) = InMemoryTransport.CreatePair(pipeOptions);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var auth = new MsgPackMap { { "client_id", "c1" }, { "token", MsgPackValue.Nil } };
        clientOptions = clientOptions with { Settings = NativeHandshake.Offer(clientOptions) };
        Task<(NativeSettings, MsgPackMap)> connecting = NativeHandshake.ConnectAsync(clientEnd, clientOptions.Settings, auth, timeout.Token);
        (NativeSettings clientSettings, MsgPackMap receivedAuth) = await NativeHandshake.ReadHelloAsync(serverEnd, timeout.Token);
        serverOptions = serverOptions with { Settings = NativeHandshake.Answer(serverOptions, clientSettings) };
        await NativeHandshake.AcceptAsync(serverEnd, serverOptions.Settings, new MsgPackMap { { "workspace", "ws-1" } }, timeout.Token);
        (NativeSettings serverSettings, MsgPackMap info) = await connecting;

        var pair = new MuxPair(new Multiplexer(clientEnd, clientOptions, serverSettings), new Multiplexer(serverEnd, serverOptions, clientSettings), receivedAuth, info);
        pair.Client.Start(message => { pair.ClientReceived.Writer.TryWrite((message.Channel, message.Payload.ToArray())); return ValueTask.CompletedTask; });
        pair.Server.Start(serverHandler ?? (message => { pair.ServerReceived.Writer.TryWrite((message.Channel, message.Payload.ToArray())); return ValueTask.CompletedTask; }));
        return pair;
    }

    public static async Task<(NativeChannel Channel, byte[] Message)> TakeAsync(Channel<(NativeChannel, byte[])> received) =>
        await received.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        await Server.DisposeAsync();
    }
}
