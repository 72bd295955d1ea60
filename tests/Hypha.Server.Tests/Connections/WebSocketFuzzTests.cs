using Hypha.Protocol.WebSocketFrames;
using Hypha.Server.Tests.Infrastructure;
using Hypha.Tests.Shared;
using static Hypha.Server.Tests.Infrastructure.RawWebSocket;

namespace Hypha.Server.Tests.Connections;

/// <summary>
/// Mutated frame streams sent to a live server over real sockets after a valid handshake: every connection must end
/// (by the server, within the close deadline) and the server must go on serving a bystander as if nothing happened.
/// The framing itself is fuzzed far harder, without sockets, in the protocol tests.
/// </summary>
public sealed class WebSocketFuzzTests
{
    private const int Cases = 300;

    [Fact]
    public async Task Mutated_streams_end_their_own_connection_and_nothing_else()
    {
        (HyphaServer server, _) = await TestServer.StartAsync(o => o with { MaxFrameBytes = 16 * 1024 });
        await using (server)
        {
            await using TestClient bystander = await TestClient.JoinAsync(server);
            byte[][] seed = Seed(bystander.Address);
            int next = -1;
            async Task Worker()
            {
                int index;
                while ((index = Interlocked.Increment(ref next)) < Cases)
                {
                    await using RawWebSocket socket = await JoinAsync(server);
                    byte[] stream = ByteMutations.Apply(seed.SelectMany(f => f).ToList(), new Random(index));
                    try
                    {
                        await socket.SendAsync(stream);
                        socket.EndSending();
                    }
                    catch (IOException)
                    {
                        // The server failed the connection while the stream was still being written.
                    }

                    await socket.ExpectEndAsync(TimeSpan.FromSeconds(10));
                }
            }

            await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(Worker)));

            // The calls that survived the mutations reached the bystander; after them comes the answer to its ping.
            await bystander.SendTextAsync("""{"type":"ping"}""");
            Received received;
            do
            {
                received = await bystander.ReceiveAsync();
            }
            while (received.Type == System.Net.WebSockets.WebSocketMessageType.Binary);

            Assert.Equal("pong", received.Json().GetProperty("type").GetString());
        }
    }

    private static byte[][] Seed(string target) =>
    [
        Frame(WebSocketOpcode.Text, """{"type":"ping"}"""u8),
        Frame(WebSocketOpcode.Binary, Frames.Call(target, "services.s.f")),
        Frame(WebSocketOpcode.Binary, Frames.Call(target, "services.s.g", null, new byte[3000]).AsSpan(0, 1000), fin: false),
        Frame(WebSocketOpcode.Ping, "p"u8),
        Frame(WebSocketOpcode.Continuation, new byte[2100]),
        Frame(WebSocketOpcode.Binary, [0xc1]),
        Frame(WebSocketOpcode.Pong, []),
        Frame(WebSocketOpcode.Close, [0x03, 0xE8]),
    ];
}
