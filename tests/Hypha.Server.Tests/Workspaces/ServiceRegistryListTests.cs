using Hypha.Protocol.MsgPack;
using Hypha.Server.Workspaces;
using static Hypha.Server.Tests.Workspaces.ServiceInfos;

namespace Hypha.Server.Tests.Workspaces;

public class ServiceRegistryListTests
{
    private readonly ServiceRegistry _registry = new();

    public ServiceRegistryListTests()
    {
        Provide(_registry, "ws-1", "client-a", "calc");
        Provide(_registry, "ws-1", "client-a", "pub", visibility: "public", type: "tool");
        Provide(_registry, "ws-1", "client-a", "hidden", visibility: "unlisted");
        Provide(_registry, "ws-1", "client-a", "shared", authorizedWorkspaces: ["ws-2"]);
        Provide(_registry, "ws-2", "client-b", "calc", visibility: "public");
        Provide(_registry, "ws-2", "client-b", "secret");
        Provide(_registry, "ws-3", "client-c", "hidden", visibility: "unlisted");
    }

    [Fact]
    public void No_query_lists_the_caller_workspace_without_unlisted()
    {
        Assert.Equal(
            ["ws-1/client-a:built-in", "ws-1/client-a:calc", "ws-1/client-a:pub", "ws-1/client-a:shared"],
            List(MsgPackValue.Nil, "ws-1"));
    }

    [Fact]
    public void Unlisted_services_are_listed_on_request_in_the_caller_workspace()
    {
        Assert.Equal(
            ["ws-1/client-a:built-in", "ws-1/client-a:calc", "ws-1/client-a:pub", "ws-1/client-a:hidden", "ws-1/client-a:shared"],
            List(MsgPackValue.Nil, "ws-1", includeUnlisted: true));
    }

    [Fact]
    public void A_bare_string_names_a_workspace()
    {
        Assert.Equal(["ws-1/client-a:built-in", "ws-1/client-a:pub", "ws-1/client-a:shared"], List("ws-1", "ws-2"));
        Assert.Equal(["ws-1/client-a:built-in", "ws-1/client-a:pub"], List("ws-1", "ws-3"));
    }

    [Fact]
    public void Another_workspace_never_sees_its_protected_or_unlisted_services()
    {
        Assert.Equal(["ws-2/client-b:built-in", "ws-2/client-b:calc"], List("ws-2", "ws-1"));
        Assert.Empty(List(Map(("workspace", "ws-3"), ("service_id", "hidden")), "ws-1"));
        Assert.Empty(List("ws-2/client-b:secret", "ws-1"));
    }

    [Fact]
    public void Authorized_workspaces_are_hidden_from_the_authorized_caller()
    {
        MsgPackMap guest = _registry.List("ws-1/shared", "ws-2").Single();
        MsgPackMap owner = _registry.List("ws-1/shared", "ws-1").Single();

        Assert.False(guest["config"].AsMap().ContainsKey("authorized_workspaces"));
        Assert.True(owner["config"].AsMap().ContainsKey("authorized_workspaces"));
    }

    [Fact]
    public void Wildcards_across_all_workspaces_show_only_public_services_of_others()
    {
        Assert.Equal(["ws-1/client-a:calc", "ws-2/client-b:calc"], List("*/*:calc", "ws-1"));
        Assert.Equal(["ws-2/client-b:calc"], List("*/*:calc", "ws-3"));
        Assert.Equal(
            ["ws-1/client-a:built-in", "ws-1/client-a:pub", "ws-2/client-b:built-in", "ws-2/client-b:calc", "ws-3/client-c:built-in"],
            List("*/*:*", "ws-3"));
    }

    [Fact]
    public void All_workspaces_skip_protected_services_even_when_authorized()
    {
        Assert.DoesNotContain("ws-1/client-a:shared", List(Map(("workspace", "*")), "ws-2"));
        Assert.Contains("ws-1/client-a:shared", List(Map(("workspace", "ws-1")), "ws-2"));
    }

    [Theory]
    [InlineData("ws-1/*:*", "ws-1/client-a:built-in,ws-1/client-a:calc,ws-1/client-a:pub,ws-1/client-a:shared")]
    [InlineData("ws-1/client-a:pub", "ws-1/client-a:pub")]
    [InlineData("client-a:pub", "ws-1/client-a:pub")]
    [InlineData("ws-1/pub", "ws-1/client-a:pub")]
    [InlineData("ws-1/*:s*", "ws-1/client-a:shared")]
    [InlineData("*:calc", "ws-1/client-a:calc")]
    [InlineData("ws-*/*:calc", "ws-1/client-a:calc,ws-2/client-b:calc")]
    [InlineData("*/calc", "ws-1/client-a:calc,ws-2/client-b:calc")]
    [InlineData("*", "ws-1/client-a:built-in,ws-1/client-a:calc,ws-1/client-a:pub,ws-1/client-a:shared,ws-2/client-b:built-in,ws-2/client-b:calc,ws-3/client-c:built-in")]
    [InlineData("ws-1/nope", "")]
    public void String_patterns(string query, string expected)
    {
        Assert.Equal(Split(expected), List(query, "ws-1"));
    }

    [Fact]
    public void Dict_queries_filter_by_any_subset()
    {
        Assert.Equal(["ws-1/client-a:pub"], List(Map(("type", "tool")), "ws-1"));
        Assert.Equal(["ws-1/client-a:built-in", "ws-1/client-a:pub"], List(Map(("visibility", "public")), "ws-1"));
        Assert.Equal(["ws-1/client-a:calc", "ws-1/client-a:shared"], List(Map(("visibility", "protected")), "ws-1"));
        Assert.Equal(["ws-1/client-a:calc"], List(Map(("id", "calc")), "ws-1"));
        Assert.Equal(["ws-1/client-a:calc", "ws-2/client-b:calc"], List(Map(("workspace", "*"), ("service_id", "calc")), "ws-1"));
        Assert.Equal(["ws-2/client-b:calc"], List(Map(("workspace", "ws-2"), ("client_id", "client-b"), ("service_id", "c*")), "ws-1"));
        Assert.Equal(
            ["ws-1/client-a:built-in", "ws-2/client-b:built-in", "ws-3/client-c:built-in"],
            List(Map(("workspace", "*"), ("type", "built-in")), "ws-1"));
        Assert.Equal(["ws-1/client-a:hidden"], List(Map(("visibility", "unlisted")), "ws-1", includeUnlisted: true));
        Assert.Empty(List(Map(("visibility", "unlisted")), "ws-1"));
    }

    [Fact]
    public void Nil_dict_values_are_absent()
    {
        Assert.Equal(List(MsgPackValue.Nil, "ws-1"), List(new MsgPackMap { { "workspace", MsgPackValue.Nil } }, "ws-1"));
    }

    [Fact]
    public void App_ids_filter_through_the_key_or_the_suffix()
    {
        ConnectedCaller d = Connect(_registry, "ws-1", "client-d");
        _registry.Register(d, Info("ws-1/client-d:calc@one"));

        Assert.Equal(["ws-1/client-d:calc"], List(Map(("app_id", "one")), "ws-1"));
        Assert.Equal(["ws-1/client-d:calc"], List(Map(("service_id", "calc@one")), "ws-1"));
        Assert.Equal(["ws-1/client-d:calc"], List("ws-1/*:calc@one", "ws-1"));
        Assert.Equal(["ws-1/client-d:calc"], List(Map(("service_id", "calc@one"), ("app_id", "one")), "ws-1"));
        AssertFails(ServiceRegistryErrorKind.Invalid, () => _registry.List(Map(("service_id", "calc@one"), ("app_id", "two")), "ws-1"));
    }

    [Fact]
    public void Unlisted_across_workspaces_is_refused()
    {
        var all = AssertFails(ServiceRegistryErrorKind.PermissionDenied, () => _registry.List(Map(("workspace", "*")), "ws-1", includeUnlisted: true));
        var other = AssertFails(ServiceRegistryErrorKind.PermissionDenied, () => _registry.List("ws-3", "ws-1", includeUnlisted: true));
        AssertFails(ServiceRegistryErrorKind.Invalid, () => _registry.List(Map(("workspace", "*"), ("visibility", "unlisted")), "ws-1"));
        AssertFails(ServiceRegistryErrorKind.Invalid, () => _registry.List(Map(("workspace", "*"), ("visibility", "protected")), "ws-1"));

        Assert.Equal("Cannot include unlisted services when searching all workspaces.", all.Message);
        Assert.Contains("Cannot include unlisted services from workspace ws-3", other.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_queries_are_invalid()
    {
        MsgPackValue[] queries =
        [
            42,
            new MsgPackValue[] { "ws-1" },
            "a/b/c",
            "ws-1/",
            "ws-1@app",
            Map(("name", "calc")),
            Map(("id", "calc"), ("service_id", "calc")),
            Map(("client_id", "a:b")),
            Map(("workspace", "")),
            Map(("visibility", "secret")),
            new MsgPackMap { { "workspace", 7 } },
            new MsgPackMap { { 1, "x" } },
        ];

        foreach (MsgPackValue query in queries)
        {
            AssertFails(ServiceRegistryErrorKind.Invalid, () => _registry.List(query, "ws-1"));
        }
    }

    [Fact]
    public void Listed_infos_are_copies()
    {
        MsgPackMap first = _registry.List("ws-1/calc", "ws-1").Single();
        first["config"].AsMap()["workspace"] = "changed";

        Assert.Equal("ws-1", _registry.List("ws-1/calc", "ws-1").Single()["config"]["workspace"].AsString());
    }

    private static MsgPackMap Map(params (string Key, string Value)[] entries)
    {
        var map = new MsgPackMap();
        foreach ((string key, string value) in entries)
        {
            map[key] = value;
        }

        return map;
    }

    private static string[] Split(string ids) => ids.Length == 0 ? [] : ids.Split(',');

    private List<string> List(MsgPackValue query, string callerWorkspace, bool includeUnlisted = false) =>
        Ids(_registry.List(query, callerWorkspace, includeUnlisted));
}
