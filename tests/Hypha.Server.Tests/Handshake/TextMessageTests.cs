using System.Text.Json;
using Hypha.Server.Auth;
using Hypha.Server.Tests.Infrastructure;

namespace Hypha.Server.Tests.Handshake;

public sealed class TextMessageTests
{
    [Fact]
    public async Task Ping_gets_pong()
    {
        (HyphaServer server, _) = await TestServer.StartAsync();
        await using (server)
        {
            await using TestClient client = await TestClient.JoinAsync(server);
            await client.RoundTripAsync();
        }
    }

    [Fact]
    public async Task Refresh_token_gets_a_new_reconnection_token()
    {
        (HyphaServer server, _) = await TestServer.StartAsync();
        await using (server)
        {
            await using TestClient client = await TestClient.JoinAsync(server, clientId: "c1");
            await client.SendTextAsync("""{"type":"refresh_token"}""");
            JsonElement reply = (await client.ReceiveAsync()).Json();

            Assert.Equal("reconnection_token", reply.GetProperty("type").GetString());
            Assert.True(server.Tokens.TryValidate(reply.GetProperty("reconnection_token").GetString()!, out HyphaToken? token, out _));
            Assert.Equal(HyphaTokenKind.Reconnection, token.Kind);
            Assert.Equal("c1", token.User.Scope.ClientId);
            Assert.Equal(client.Workspace, token.User.Scope.CurrentWorkspace);
        }
    }

    [Fact]
    public async Task Long_and_unknown_text_messages_are_ignored()
    {
        (HyphaServer server, _) = await TestServer.StartAsync();
        await using (server)
        {
            await using TestClient client = await TestClient.JoinAsync(server);
            await client.SendTextAsync($$"""{"type":"ping","padding":"{{new string('x', 1200)}}"}""");
            await client.SendTextAsync("""{"type":"something_new"}""");
            await client.SendTextAsync("not json at all");

            await client.RoundTripAsync(); // the first reply is this pong: the three above got none
        }
    }
}
