using System.Diagnostics;
using System.Net.WebSockets;
using Hypha.Protocol.MsgPack;
using Hypha.Server.Tests.Infrastructure;

namespace Hypha.Server.Tests.Connections;

public sealed class RobustnessTests
{
    [Fact]
    public async Task An_undecodable_frame_is_dropped_and_affects_nobody()
    {
        (HyphaServer server, _) = await TestServer.StartAsync();
        await using (server)
        {
            await using TestClient a = await TestClient.JoinAsync(server);
            await using TestClient b = await TestClient.JoinAsync(server);

            await a.SendBinaryAsync(new byte[] { 0xc1 });                                   // not msgpack
            await a.SendBinaryAsync(new byte[] { 0x01 });                                   // not a map
            await a.SendBinaryAsync(Frames.Write(new MsgPackMap { { "type", "method" } })); // no target
            await a.SendBinaryAsync(Frames.Call(b.Address, "services.s.f"));

            Assert.Equal(a.Address, (await b.ExpectBinaryAsync()).Frame().Envelope.From);
            await a.RoundTripAsync();
            await b.RoundTripAsync();
        }
    }

    [Fact]
    public async Task Repeated_garbage_closes_the_connection_with_1003()
    {
        (HyphaServer server, _) = await TestServer.StartAsync(o => o with { MaxConsecutiveInvalidFrames = 3 });
        await using (server)
        {
            await using TestClient a = await TestClient.JoinAsync(server);
            for (int i = 0; i < 3; i++)
            {
                await a.SendBinaryAsync(new byte[] { 0xc1 });
            }

            (string error, Received close) = await a.ExpectErrorAndCloseAsync();
            Assert.StartsWith("Too many invalid messages", error, StringComparison.Ordinal);
            Assert.Equal(WebSocketCloseStatus.InvalidMessageType, close.CloseStatus); // 1003
        }
    }

    [Fact]
    public async Task An_oversized_frame_gets_an_error_and_close_1009()
    {
        (HyphaServer server, FakeManager manager) = await TestServer.StartAsync(o => o with { MaxFrameBytes = 64 * 1024 });
        await using (server)
        {
            await using TestClient a = await TestClient.JoinAsync(server);
            await a.SendBinaryAsync(new byte[100 * 1024]);

            (string error, Received close) = await a.ExpectErrorAndCloseAsync();
            Assert.StartsWith("Message too big", error, StringComparison.Ordinal);
            Assert.Equal(WebSocketCloseStatus.MessageTooBig, close.CloseStatus);
            await manager.WaitForAsync("disconnected", a.Address);
        }
    }

    [Fact]
    public async Task A_frame_up_to_the_limit_in_many_fragments_is_routed()
    {
        (HyphaServer server, _) = await TestServer.StartAsync(o => o with { MaxFrameBytes = 256 * 1024 });
        await using (server)
        {
            await using TestClient a = await TestClient.JoinAsync(server);
            await using TestClient b = await TestClient.JoinAsync(server);
            byte[] frame = Frames.Call(b.Address, "services.s.f", null, new byte[200 * 1024]);
            await a.SendBinaryAsync(frame);

            Received received = await b.ExpectBinaryAsync();
            Assert.Equal(frame.Length - Protocol.Messages.HyphaFrame.Decode(frame).MainLength, received.Frame().ExtraBytes.Length);
        }
    }

    [Fact]
    public async Task A_client_that_stops_reading_is_closed_without_holding_up_others()
    {
        (HyphaServer server, FakeManager manager) = await TestServer.StartAsync(o => o with
        {
            SendQueueFrames = 4,
            SendQueueBytes = 256 * 1024,
            SendQueueTimeout = TimeSpan.FromMilliseconds(300),
            CloseTimeout = TimeSpan.FromMilliseconds(300),
        });
        await using (server)
        {
            await using TestClient slow = await TestClient.JoinAsync(server);
            await using TestClient flooder = await TestClient.JoinAsync(server);
            await using TestClient bystander = await TestClient.JoinAsync(server);
            Task<Hypha.Server.Routing.ConnectedClient> slowGone = manager.WaitForAsync("disconnected", slow.Address);

            // The slow client never reads: kernel buffers fill, then its queue, then the server gives up on it.
            byte[] frame = Frames.Call(slow.Address, "services.s.f", null, new byte[64 * 1024]);
            var stopwatch = Stopwatch.StartNew();
            for (int i = 0; i < 2000 && !slowGone.IsCompleted; i++)
            {
                await flooder.SendBinaryAsync(frame);
                if (i % 50 == 0)
                {
                    await bystander.RoundTripAsync(); // others keep being served meanwhile
                }
            }

            await slowGone;
            Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5), $"took {stopwatch.Elapsed}");
            Assert.Null(manager.Router.FindClient(slow.Address));
            await flooder.RoundTripAsync();
            await bystander.RoundTripAsync();
        }
    }

    [Fact]
    public async Task An_idle_client_is_closed_with_1001()
    {
        (HyphaServer server, _) = await TestServer.StartAsync(o => o with { IdleTimeout = TimeSpan.FromMilliseconds(300) });
        await using (server)
        {
            await using TestClient a = await TestClient.JoinAsync(server);
            Received close = await a.ExpectCloseAsync();
            Assert.Equal("Idle timeout", close.CloseDescription);
            Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, close.CloseStatus);
        }
    }

    [Fact]
    public async Task Stopping_the_server_closes_clients_with_1001_and_tells_the_manager()
    {
        (HyphaServer server, FakeManager manager) = await TestServer.StartAsync();
        await using (server)
        {
            await using TestClient a = await TestClient.JoinAsync(server);
            await manager.WaitForAsync("connected", a.Address);
            Task stopping = server.StopAsync();

            Received close = await a.ExpectCloseAsync();
            Assert.Equal("Server is shutting down", close.CloseDescription);
            Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, close.CloseStatus);
            await manager.WaitForAsync("disconnected", a.Address);
            await stopping.WaitAsync(TestTimeouts.Receive);
            Assert.True(manager.Disposed);
        }
    }

    [Fact]
    public async Task A_manager_that_fails_on_connect_turns_the_client_away()
    {
        (HyphaServer server, FakeManager manager) = await TestServer.StartAsync();
        await using (server)
        {
            manager.FailOnConnect = new InvalidOperationException("boom");
            await using TestClient a = await TestClient.ConnectAsync(server);
            await a.SendTextAsync("{}");
            (string error, Received close) = await a.ExpectErrorAndCloseAsync();

            Assert.Equal("Server failed to set up the connection", error);
            Assert.Equal(WebSocketCloseStatus.InternalServerError, close.CloseStatus);
            (string first, _) = await manager.NextLifecycleEventAsync();
            (string second, _) = await manager.NextLifecycleEventAsync();
            Assert.Equal(("connected", "disconnected"), (first, second));
        }
    }
}
