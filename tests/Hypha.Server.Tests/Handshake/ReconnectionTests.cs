using System.Net.WebSockets;
using Hypha.Server.Routing;
using Hypha.Server.Tests.Infrastructure;

namespace Hypha.Server.Tests.Handshake;

public sealed class ReconnectionTests
{
    [Fact]
    public async Task A_reconnection_token_restores_the_same_client()
    {
        (HyphaServer server, FakeManager manager) = await TestServer.StartAsync();
        await using (server)
        {
            string token, workspace, userId;
            await using (TestClient first = await TestClient.JoinAsync(server, clientId: "c1"))
            {
                token = first.ConnectionInfo.GetProperty("reconnection_token").GetString()!;
                workspace = first.Workspace;
                userId = first.ConnectionInfo.GetProperty("user").GetProperty("id").GetString()!;
            }

            await manager.WaitForAsync("disconnected", $"{workspace}/c1");
            await using TestClient second = await TestClient.JoinAsync(server, clientId: "c1", workspace: workspace, reconnectionToken: token);

            Assert.Equal(workspace, second.Workspace);
            Assert.Equal("c1", second.ClientId);
            Assert.Equal(userId, second.ConnectionInfo.GetProperty("user").GetProperty("id").GetString());
        }
    }

    [Fact]
    public async Task A_reconnection_replaces_a_live_connection_after_its_disconnect()
    {
        (HyphaServer server, FakeManager manager) = await TestServer.StartAsync();
        await using (server)
        {
            await using TestClient first = await TestClient.JoinAsync(server, clientId: "c1");
            string token = first.ConnectionInfo.GetProperty("reconnection_token").GetString()!;
            // The old connection is closed first (its client answers the close meanwhile), then the new one admitted.
            Task<TestClient> joining = TestClient.JoinAsync(server, clientId: "c1", reconnectionToken: token);
            Received close = await first.ExpectCloseAsync();
            await using TestClient second = await joining;
            Assert.StartsWith("Replaced", close.CloseDescription, StringComparison.Ordinal);
            Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, close.CloseStatus); // 1001

            // The manager sees connect and disconnect in pairs, in order.
            var events = new List<(string, DateTimeOffset)>();
            for (int i = 0; i < 3; i++)
            {
                (string @event, ConnectedClient client) = await manager.NextLifecycleEventAsync();
                Assert.Equal(second.Address, client.Address);
                events.Add((@event, client.ConnectedAt));
            }

            Assert.Equal(["connected", "disconnected", "connected"], events.Select(e => e.Item1));
            Assert.Equal(events[0].Item2, events[1].Item2);
            await second.RoundTripAsync();
            Assert.Equal(events[2].Item2, manager.Router.FindClient(second.Address)!.ConnectedAt);
        }
    }

    [Fact]
    public async Task Reconnection_tokens_survive_a_restart_with_the_same_secret()
    {
        Func<HyphaServerOptions, HyphaServerOptions> sameSecret = o => o with { JwtSecret = "shared-secret-for-the-test" };
        string token, workspace;
        (HyphaServer first, _) = await TestServer.StartAsync(sameSecret);
        await using (first)
        {
            await using TestClient client = await TestClient.JoinAsync(first, clientId: "c1");
            token = client.ConnectionInfo.GetProperty("reconnection_token").GetString()!;
            workspace = client.Workspace;
        }

        (HyphaServer second, _) = await TestServer.StartAsync(sameSecret);
        await using (second)
        {
            await using TestClient client = await TestClient.JoinAsync(second, clientId: "c1", workspace: workspace, reconnectionToken: token);
            Assert.Equal(workspace, client.Workspace);
        }

        (HyphaServer other, _) = await TestServer.StartAsync();
        await using (other)
        {
            await using TestClient client = await TestClient.ConnectAsync(other);
            await client.SendTextAsync($$"""{"client_id":"c1","reconnection_token":"{{token}}"}""");
            (string error, _) = await client.ExpectErrorAndCloseAsync();
            Assert.StartsWith("Invalid reconnection token", error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_reconnection_token_is_bound_to_its_client()
    {
        (HyphaServer server, _) = await TestServer.StartAsync();
        await using (server)
        {
            await using TestClient first = await TestClient.JoinAsync(server, clientId: "c1");
            string token = first.ConnectionInfo.GetProperty("reconnection_token").GetString()!;

            await using TestClient thief = await TestClient.ConnectAsync(server);
            await thief.SendTextAsync($$"""{"client_id":"c2","reconnection_token":"{{token}}"}""");
            (string error, Received close) = await thief.ExpectErrorAndCloseAsync();

            Assert.Contains("issued to client 'c1'", error, StringComparison.Ordinal);
            Assert.Equal(WebSocketCloseStatus.PolicyViolation, close.CloseStatus);
        }
    }

    [Fact]
    public async Task A_second_client_with_a_live_id_is_refused()
    {
        (HyphaServer server, _) = await TestServer.StartAsync();
        await using (server)
        {
            string token = Frames.TokenFor(server, "lab");
            await using TestClient first = await TestClient.JoinAsync(server, clientId: "dup", workspace: "lab", token: token);

            await using TestClient second = await TestClient.ConnectAsync(server);
            await second.SendTextAsync($$"""{"client_id":"dup","workspace":"lab","token":"{{token}}"}""");
            (string error, Received close) = await second.ExpectErrorAndCloseAsync();

            Assert.Equal("Client already exists and is active: lab/dup", error);
            Assert.Equal(WebSocketCloseStatus.PolicyViolation, close.CloseStatus);
            await first.RoundTripAsync();
        }
    }
}
