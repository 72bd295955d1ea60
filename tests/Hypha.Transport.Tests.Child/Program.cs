using Hypha.Protocol.MsgPack;
using Hypha.Protocol.Native;
using Hypha.Transport.Connections;
using Hypha.Transport.Multiplexing;
using Hypha.Transport.SharedMemory;

// A native client that connects to the Unix socket in args[0], agrees to shared memory in the directory args[1], prints
// its segment prefix, then sends 8 MiB payloads by reference until it is killed.
var options = new MultiplexerOptions { SharedMemory = new SharedMemoryOptions { Directory = args[1] } };
await using SocketTransport transport = await SocketTransport.ConnectUnixAsync(args[0], CancellationToken.None);
NativeSettings offer = NativeHandshake.Offer(options);
(NativeSettings server, _) = await NativeHandshake.ConnectAsync(transport, offer, new MsgPackMap(), CancellationToken.None);
await using var mux = new Multiplexer(transport, options with { Settings = offer }, server);
mux.Start(_ => ValueTask.CompletedTask);
Console.WriteLine(offer.SharedMemory!.Prefix);
byte[] payload = new byte[8 * 1024 * 1024];
for (long sent = 0; !mux.Completion.IsCompleted;)
{
    if (mux.TrySendShared(new byte[] { 1 }, [payload]))
    {
        payload[sent++ % payload.Length]++;
    }
    else
    {
        await Task.Delay(1);
    }
}
