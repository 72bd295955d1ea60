using System.Net.WebSockets;
using System.Text.Json;
using Hypha.Server.Auth;
using Hypha.Server.Routing;
using Hypha.Server.Tests.Infrastructure;

namespace Hypha.Server.Tests.Handshake;

public sealed class HandshakeTests
{
    [Fact]
    public async Task Missing_fields_give_an_anonymous_user_in_its_own_workspace()
    {
        (HyphaServer server, _) = await TestServer.StartAsync();
        await using (server)
        {
            await using TestClient client = await TestClient.ConnectAsync(server);
            await client.SendTextAsync("{}");
            JsonElement info = await client.ExpectConnectionInfoAsync();

            JsonElement user = info.GetProperty("user");
            string userId = user.GetProperty("id").GetString()!;
            Assert.StartsWith("anonymouz-", userId, StringComparison.Ordinal);
            Assert.True(user.GetProperty("is_anonymous").GetBoolean());
            Assert.Equal($"ws-user-{userId}", info.GetProperty("workspace").GetString());
            Assert.False(string.IsNullOrEmpty(info.GetProperty("client_id").GetString()));
        }
    }

    [Fact]
    public async Task Null_fields_are_accepted_like_missing_ones()
    {
        (HyphaServer server, _) = await TestServer.StartAsync();
        await using (server)
        {
            await using TestClient client = await TestClient.ConnectAsync(server);
            await client.SendTextAsync("""{"client_id":"c1","workspace":null,"token":null,"reconnection_token":null}""");
            JsonElement info = await client.ExpectConnectionInfoAsync();

            Assert.Equal("c1", info.GetProperty("client_id").GetString());
            Assert.StartsWith("ws-user-anonymouz-", info.GetProperty("workspace").GetString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Connection_info_carries_every_field()
    {
        (HyphaServer server, FakeManager manager) = await TestServer.StartAsync(o => o with { PublicBaseUrl = "https://hypha.example.org/" });
        await using (server)
        {
            await using TestClient client = await TestClient.JoinAsync(server, clientId: "c1");
            JsonElement info = client.ConnectionInfo;

            Assert.Equal("0.21.135", info.GetProperty("hypha_version").GetString());
            Assert.Equal("https://hypha.example.org", info.GetProperty("public_base_url").GetString());
            Assert.Equal(server.BaseUrl, info.GetProperty("local_base_url").GetString());
            Assert.Equal(FakeManager.Id, info.GetProperty("manager_id").GetString());
            Assert.Equal(172800, info.GetProperty("reconnection_token_life_time").GetInt64());
            Assert.True(server.Tokens.TryValidate(info.GetProperty("reconnection_token").GetString()!, out HyphaToken? token, out _));
            Assert.Equal(HyphaTokenKind.Reconnection, token.Kind);

            JsonElement user = info.GetProperty("user");
            string workspace = client.Workspace;
            Assert.Equal(JsonValueKind.Array, user.GetProperty("roles").ValueKind);
            Assert.Equal(JsonValueKind.Null, user.GetProperty("email").ValueKind);
            Assert.Equal(JsonValueKind.Null, user.GetProperty("parent").ValueKind);
            Assert.Equal(JsonValueKind.Null, user.GetProperty("expires_at").ValueKind);
            Assert.Equal(workspace, user.GetProperty("current_workspace").GetString());
            JsonElement scope = user.GetProperty("scope");
            Assert.Equal(workspace, scope.GetProperty("current_workspace").GetString());
            Assert.Equal("a", scope.GetProperty("workspaces").GetProperty(workspace).GetString());
            Assert.Equal("c1", scope.GetProperty("client_id").GetString());
            Assert.Equal(0, scope.GetProperty("extra_scopes").GetArrayLength());

            (string @event, ConnectedClient connected) = await manager.NextLifecycleEventAsync();
            Assert.Equal("connected", @event);
            Assert.Equal($"{workspace}/c1", connected.Address);
        }
    }

    [Fact]
    public async Task Malformed_json_gets_an_error_and_close_1003()
    {
        (HyphaServer server, _) = await TestServer.StartAsync();
        await using (server)
        {
            await using TestClient client = await TestClient.ConnectAsync(server);
            await client.SendTextAsync("{not json");
            (string error, Received close) = await client.ExpectErrorAndCloseAsync();

            Assert.Contains("Invalid authentication payload", error, StringComparison.Ordinal);
            Assert.Equal(WebSocketCloseStatus.InvalidMessageType, close.CloseStatus); // 1003
        }
    }

    [Fact]
    public async Task No_authentication_in_time_gets_close_1008()
    {
        (HyphaServer server, _) = await TestServer.StartAsync(o => o with { AuthTimeout = TimeSpan.FromMilliseconds(300) });
        await using (server)
        {
            await using TestClient client = await TestClient.ConnectAsync(server);
            (string error, Received close) = await client.ExpectErrorAndCloseAsync();

            Assert.Equal("Authentication payload timeout", error);
            Assert.Equal(WebSocketCloseStatus.PolicyViolation, close.CloseStatus);
            Assert.Equal("Authentication payload timeout", close.CloseDescription);
        }
    }

    [Theory]
    [InlineData("workspace")]
    [InlineData("client_id")]
    [InlineData("token")]
    [InlineData("reconnection_token")]
    public async Task Legacy_query_authentication_gets_close_1008(string key)
    {
        (HyphaServer server, _) = await TestServer.StartAsync();
        await using (server)
        {
            await using TestClient client = await TestClient.ConnectAsync(server, $"?{key}=x");
            (string error, Received close) = await client.ExpectErrorAndCloseAsync();

            Assert.Contains(key, error, StringComparison.Ordinal);
            Assert.Equal(WebSocketCloseStatus.PolicyViolation, close.CloseStatus);
        }
    }

    [Fact]
    public async Task An_anonymous_user_may_not_join_another_workspace()
    {
        (HyphaServer server, _) = await TestServer.StartAsync();
        await using (server)
        {
            await using TestClient client = await TestClient.ConnectAsync(server);
            await client.SendTextAsync("""{"workspace":"lab"}""");
            (string error, Received close) = await client.ExpectErrorAndCloseAsync();

            Assert.StartsWith("Permission denied for workspace lab", error, StringComparison.Ordinal);
            Assert.Equal(WebSocketCloseStatus.PolicyViolation, close.CloseStatus);
        }
    }

    [Fact]
    public async Task An_access_token_admits_to_its_workspaces_only()
    {
        (HyphaServer server, _) = await TestServer.StartAsync();
        await using (server)
        {
            string token = Frames.TokenFor(server, "lab");
            await using TestClient member = await TestClient.JoinAsync(server, workspace: "lab", token: token);
            JsonElement user = member.ConnectionInfo.GetProperty("user");
            Assert.Equal("lab", member.Workspace);
            Assert.Equal("alice", user.GetProperty("id").GetString());
            Assert.False(user.GetProperty("is_anonymous").GetBoolean());
            Assert.Equal("alice@example.org", user.GetProperty("email").GetString());
            Assert.Equal(JsonValueKind.Number, user.GetProperty("expires_at").ValueKind);
            Assert.Equal("rw", user.GetProperty("scope").GetProperty("workspaces").GetProperty("lab").GetString());

            await using TestClient own = await TestClient.JoinAsync(server, token: token);
            Assert.Equal("ws-user-alice", own.Workspace);

            await using TestClient outsider = await TestClient.ConnectAsync(server);
            await outsider.SendTextAsync(JsonSerializer.Serialize(new { workspace = "other", token }));
            (string error, Received close) = await outsider.ExpectErrorAndCloseAsync();
            Assert.StartsWith("Permission denied for workspace other", error, StringComparison.Ordinal);
            Assert.Equal(WebSocketCloseStatus.PolicyViolation, close.CloseStatus);
        }
    }

    [Theory]
    [InlineData("not-a-token")]
    [InlineData("eyJhbGciOiJub25lIn0.eyJzdWIiOiJyb290In0.")]
    public async Task An_invalid_token_gets_close_1008(string token)
    {
        (HyphaServer server, _) = await TestServer.StartAsync();
        await using (server)
        {
            await using TestClient client = await TestClient.ConnectAsync(server);
            await client.SendTextAsync(JsonSerializer.Serialize(new { token }));
            (string error, Received close) = await client.ExpectErrorAndCloseAsync();

            Assert.StartsWith("Invalid token", error, StringComparison.Ordinal);
            Assert.Equal(WebSocketCloseStatus.PolicyViolation, close.CloseStatus);
        }
    }

    [Fact]
    public async Task A_client_id_with_a_slash_is_refused()
    {
        (HyphaServer server, _) = await TestServer.StartAsync();
        await using (server)
        {
            await using TestClient client = await TestClient.ConnectAsync(server);
            await client.SendTextAsync("""{"client_id":"a/b"}""");
            (string error, _) = await client.ExpectErrorAndCloseAsync();

            Assert.StartsWith("Invalid client id 'a/b'", error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Only_the_ws_path_serves()
    {
        (HyphaServer server, _) = await TestServer.StartAsync();
        await using (server)
        {
            using var http = new HttpClient { Timeout = TestTimeouts.Receive };
            Assert.Equal(System.Net.HttpStatusCode.NotFound, (await http.GetAsync(new Uri($"{server.BaseUrl}/other"))).StatusCode);
            Assert.Equal(System.Net.HttpStatusCode.BadRequest, (await http.GetAsync(new Uri($"{server.BaseUrl}/ws"))).StatusCode);
        }
    }
}
