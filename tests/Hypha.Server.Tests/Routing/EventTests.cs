using Hypha.Protocol.Messages;
using Hypha.Protocol.MsgPack;
using Hypha.Server.Routing;
using Hypha.Server.Tests.Infrastructure;

namespace Hypha.Server.Tests.Routing;

public sealed class EventTests
{
    [Fact]
    public async Task A_client_event_reaches_the_subscribers_of_its_type_in_its_workspace_only()
    {
        (HyphaServer server, FakeManager manager) = await TestServer.StartAsync();
        await using (server)
        {
            string lab = Frames.TokenFor(server, "lab");
            await using TestClient emitter = await TestClient.JoinAsync(server, clientId: "emitter", workspace: "lab", token: lab);
            await using TestClient subscriber = await TestClient.JoinAsync(server, clientId: "subscriber", workspace: "lab", token: lab);
            await using TestClient other = await TestClient.JoinAsync(server, clientId: "other", workspace: "lab", token: lab);
            string elsewhere = Frames.TokenFor(server, "elsewhere");
            await using TestClient outsider = await TestClient.JoinAsync(server, clientId: "outsider", workspace: "elsewhere", token: elsewhere);
            Subscribe(manager, subscriber.Address, "custom");
            Subscribe(manager, other.Address, "another");
            Subscribe(manager, outsider.Address, "custom");

            var main = new MsgPackMap { { "type", "custom" }, { "to", "*" } };
            await emitter.SendBinaryAsync(Frames.Write(main, new MsgPackMap { { "data", 42 } }));

            HyphaFrame received = (await subscriber.ExpectBinaryAsync()).Frame();
            Assert.Equal("lab/*", received.Envelope.To);
            Assert.Equal("lab/emitter", received.Envelope.From);
            Assert.Equal(42, received.DecodeExtra()!["data"].AsInt64());

            await emitter.RoundTripAsync(); // the event was fanned out before this pong
            await other.RoundTripAsync();
            await outsider.RoundTripAsync();
        }
    }

    [Fact]
    public async Task Unsubscribed_and_disconnected_clients_get_no_events()
    {
        (HyphaServer server, FakeManager manager) = await TestServer.StartAsync();
        await using (server)
        {
            await using TestClient client = await TestClient.JoinAsync(server);
            Subscribe(manager, client.Address, "custom");
            manager.Router.Unsubscribe(manager.Router.FindClient(client.Address)!, ["custom"]);
            await manager.Router.PublishEventAsync(client.Workspace, "custom", new MsgPackMap());
            await client.RoundTripAsync();
        }
    }

    [Fact]
    public async Task A_broadcast_into_another_workspace_is_refused()
    {
        (HyphaServer server, FakeManager manager) = await TestServer.StartAsync();
        await using (server)
        {
            await using TestClient target = await TestClient.JoinAsync(server);
            Subscribe(manager, target.Address, "method");
            await using TestClient sender = await TestClient.JoinAsync(server);
            await sender.SendBinaryAsync(Frames.Call($"{target.Workspace}/*", "services.s.f", "S1"));

            HyphaFrame reject = (await sender.ExpectBinaryAsync()).Frame();
            Assert.Equal("S1.reject", reject.Envelope.Method);
            await target.RoundTripAsync();
        }
    }

    [Fact]
    public async Task Server_events_are_one_map_with_type_to_and_data()
    {
        (HyphaServer server, FakeManager manager) = await TestServer.StartAsync();
        await using (server)
        {
            await using TestClient client = await TestClient.JoinAsync(server);
            Subscribe(manager, client.Address, "client_disconnected");
            await manager.Router.PublishEventAsync(client.Workspace, "client_disconnected", new MsgPackMap { { "id", "x" }, { "workspace", client.Workspace } });

            Received received = await client.ExpectBinaryAsync();
            MsgPackMap message = MsgPackValue.Parse(received.Bytes).AsMap();
            Assert.Equal("client_disconnected", message["type"].AsString());
            Assert.Equal("*", message["to"].AsString());
            Assert.False(message.ContainsKey("from"));
            Assert.Equal("x", message["data"]["id"].AsString());
        }
    }

    private static void Subscribe(FakeManager manager, string address, string eventType)
    {
        ConnectedClient client = manager.Router.FindClient(address) ?? throw new InvalidOperationException($"{address} is not connected");
        manager.Router.Subscribe(client, [eventType]);
    }
}
