using Hypha.Server.Auth;

namespace Hypha.Server.Tests.Auth;

public sealed class TokenServiceTests
{
    private static readonly UserInfo Alice = new()
    {
        Id = "alice",
        Roles = ["user", "admin"],
        Email = "alice@example.org",
        Parent = "root",
        ExpiresAt = DateTimeOffset.FromUnixTimeSeconds(2_000_000_000),
        Scope = new UserScope(
            new Dictionary<string, string> { ["lab"] = "rw", ["ws-user-alice"] = "a" }, "c1", "lab", ["extra:1"]),
    };

    [Fact]
    public void A_token_round_trips_every_user_field()
    {
        var tokens = new HyphaTokenService("secret");
        string token = tokens.Create(Alice, HyphaTokenKind.Reconnection, TimeSpan.FromHours(1));

        Assert.True(tokens.TryValidate(token, out HyphaToken? content, out _));
        Assert.Equal(HyphaTokenKind.Reconnection, content.Kind);
        UserInfo user = content.User;
        Assert.Equal(("alice", "alice@example.org", "root", false), (user.Id, user.Email, user.Parent, user.IsAnonymous));
        Assert.Equal(Alice.Roles, user.Roles);
        Assert.Equal(Alice.ExpiresAt, user.ExpiresAt);
        Assert.Equal(Alice.Scope.Workspaces, user.Scope.Workspaces);
        Assert.Equal(("c1", "lab"), (user.Scope.ClientId, user.Scope.CurrentWorkspace));
        Assert.Equal(["extra:1"], user.Scope.ExtraScopes);
    }

    [Fact]
    public void Another_secret_or_a_changed_byte_breaks_the_signature()
    {
        string token = new HyphaTokenService("secret").Create(Alice, HyphaTokenKind.Access, TimeSpan.FromHours(1));

        Assert.False(new HyphaTokenService("other").TryValidate(token, out _, out string? error));
        Assert.Contains("bad signature", error, StringComparison.Ordinal);

        string[] parts = token.Split('.');
        string tampered = $"{parts[0]}.{parts[1][..^2]}AA.{parts[2]}";
        Assert.False(new HyphaTokenService("secret").TryValidate(tampered, out _, out _));
    }

    [Fact]
    public void An_unsigned_token_is_refused()
    {
        // {"alg":"none"} . {"iss":"hypha-dotnet","sub":"root"} . (no signature)
        const string unsigned = "eyJhbGciOiJub25lIn0.eyJpc3MiOiJoeXBoYS1kb3RuZXQiLCJzdWIiOiJyb290In0.";
        Assert.False(new HyphaTokenService("secret").TryValidate(unsigned, out _, out string? error));
        Assert.Contains("algorithm", error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_expired_token_is_refused()
    {
        var clock = new SettableClock(DateTimeOffset.UtcNow);
        var tokens = new HyphaTokenService("secret", clock);
        string token = tokens.Create(Alice, HyphaTokenKind.Access, TimeSpan.FromMinutes(1));
        Assert.True(tokens.TryValidate(token, out _, out _));

        clock.Now += TimeSpan.FromMinutes(2);
        Assert.False(tokens.TryValidate(token, out _, out string? error));
        Assert.Equal("token expired", error);
    }

    [Fact]
    public void The_scope_string_uses_the_real_servers_format()
    {
        string scope = new UserScope(new Dictionary<string, string> { ["lab"] = "rw" }, "c1", "lab", []).Format();
        Assert.Equal("ws:lab#rw cid:c1 wid:lab", scope);

        UserScope parsed = UserScope.Parse("ws:a#r ws:b#a cid:x wid:a custom");
        Assert.Equal(("r", "a"), (parsed.PermissionFor("a"), parsed.PermissionFor("b")));
        Assert.Equal(("x", "a"), (parsed.ClientId, parsed.CurrentWorkspace));
        Assert.Equal(["custom"], parsed.ExtraScopes);
        Assert.Throws<FormatException>(() => UserScope.Parse("ws:a#root"));
    }

    private sealed class SettableClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
