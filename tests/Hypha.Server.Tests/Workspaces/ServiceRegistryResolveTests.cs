using Hypha.Protocol.MsgPack;
using Hypha.Server.Workspaces;
using static Hypha.Server.Tests.Workspaces.ServiceInfos;

namespace Hypha.Server.Tests.Workspaces;

public class ServiceRegistryResolveTests
{
    private readonly ServiceRegistry _registry = new(new Random(1234));

    [Theory]
    [InlineData("ws-1/client-a:calc")]
    [InlineData("ws-1/calc")]
    [InlineData("calc")]
    [InlineData("client-a:calc")]
    [InlineData("ws-1/*:calc")]
    [InlineData("calc@*")]
    public void Every_id_form_reaches_the_service(string query)
    {
        RegisteredService calc = Provide(_registry, "ws-1", "client-a", "calc");

        Assert.Same(calc, _registry.Resolve(query, "ws-1"));
    }

    [Fact]
    public void The_app_suffix_selects_by_app()
    {
        ConnectedCaller a = Connect(_registry, "ws-1", "client-a");
        ConnectedCaller b = Connect(_registry, "ws-1", "client-b");
        _registry.Register(a, Info("ws-1/client-a:calc@one"));
        _registry.Register(b, Info("ws-1/client-b:calc@two"));

        Assert.Equal("client-b", _registry.Resolve("calc@two", "ws-1").ClientId);
        Assert.Equal("client-a", _registry.Resolve("ws-1/calc@one", "ws-1").ClientId);
        AssertFails(ServiceRegistryErrorKind.NotFound, () => _registry.Resolve("calc@three", "ws-1"));
    }

    [Fact]
    public void An_app_query_does_not_match_a_service_without_app()
    {
        Provide(_registry, "ws-1", "client-a", "calc");

        var error = AssertFails(ServiceRegistryErrorKind.NotFound, () => _registry.Resolve("calc@app", "ws-1"));

        Assert.Equal("Service not found: ws-1/*:calc@app", error.Message);
    }

    [Theory]
    [InlineData("nope", "Service not found: ws-1/*:nope")]
    [InlineData("ws-9/client-z:nope", "Service not found: ws-9/client-z:nope")]
    [InlineData("client-b:calc", "Service not found: ws-1/client-b:calc")]
    public void Not_found_names_the_id(string query, string message)
    {
        Provide(_registry, "ws-1", "client-a", "calc");

        var error = AssertFails(ServiceRegistryErrorKind.NotFound, () => _registry.Resolve(query, "ws-1"));

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void A_protected_service_is_unreachable_from_another_workspace()
    {
        Provide(_registry, "ws-1", "client-a", "calc");

        var error = AssertFails(ServiceRegistryErrorKind.PermissionDenied, () => _registry.Resolve("ws-1/client-a:calc", "ws-2"));
        AssertFails(ServiceRegistryErrorKind.PermissionDenied, () => _registry.GetServiceInfo("ws-1/calc", "ws-2"));

        Assert.Equal("Permission denied for non-public service in workspace ws-1", error.Message);
    }

    [Fact]
    public void A_short_id_never_leaves_the_caller_workspace()
    {
        Provide(_registry, "ws-1", "client-a", "calc", visibility: "public");

        AssertFails(ServiceRegistryErrorKind.NotFound, () => _registry.Resolve("calc", "ws-2"));
        AssertFails(ServiceRegistryErrorKind.NotFound, () => _registry.Resolve("client-a:calc", "ws-2"));
    }

    [Theory]
    [InlineData("public")]
    [InlineData("unlisted")]
    public void Public_and_unlisted_services_are_reachable_by_id_from_anywhere(string visibility)
    {
        RegisteredService calc = Provide(_registry, "ws-1", "client-a", "calc", visibility);

        Assert.Same(calc, _registry.Resolve("ws-1/client-a:calc", "ws-2"));
        Assert.Same(calc, _registry.Resolve("ws-1/calc", "ws-3"));
    }

    [Fact]
    public void Authorized_workspaces_reach_a_protected_service()
    {
        RegisteredService calc = Provide(_registry, "ws-1", "client-a", "calc", authorizedWorkspaces: ["ws-2"]);

        Assert.Same(calc, _registry.Resolve("ws-1/calc", "ws-2"));
        Assert.True(calc.IsReachableFrom("ws-2"));
        Assert.False(calc.IsReachableFrom("ws-3"));
        AssertFails(ServiceRegistryErrorKind.PermissionDenied, () => _registry.Resolve("ws-1/calc", "ws-3"));
    }

    [Fact]
    public void The_manager_reaches_everything()
    {
        RegisteredService calc = Provide(_registry, "ws-1", "client-a", "calc");

        Assert.Same(calc, _registry.Resolve("ws-1/calc", "*", asManager: true));
    }

    [Fact]
    public void Tilde_is_the_manager_not_a_registered_service()
    {
        var error = AssertFails(ServiceRegistryErrorKind.Invalid, () => _registry.Resolve("~", "ws-1"));

        Assert.Contains("ManagerQuery", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a/b/c")]
    [InlineData("ws-1/")]
    [InlineData("*/calc")]
    public void Malformed_queries_are_invalid(string query)
    {
        AssertFails(ServiceRegistryErrorKind.Invalid, () => _registry.Resolve(query, "ws-1"));
    }

    [Fact]
    public void Exact_mode_refuses_several_providers()
    {
        Provide(_registry, "ws-1", "client-a", "calc");
        Provide(_registry, "ws-1", "client-b", "calc");

        var error = AssertFails(ServiceRegistryErrorKind.Ambiguous, () => _registry.Resolve("calc", "ws-1"));
        AssertFails(ServiceRegistryErrorKind.Ambiguous, () => _registry.Resolve("ws-1/calc", "ws-1", "exact"));

        Assert.StartsWith("Multiple services found for ws-1/*:calc, e.g. ws-1/client-a:calc, ws-1/client-b:calc.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void First_and_last_follow_registration_order()
    {
        Provide(_registry, "ws-1", "client-b", "calc");
        Provide(_registry, "ws-1", "client-a", "calc");
        Provide(_registry, "ws-1", "client-c", "calc");

        Assert.Equal("client-b", _registry.Resolve("calc", "ws-1", "first").ClientId);
        Assert.Equal("client-c", _registry.Resolve("calc", "ws-1", "last").ClientId);
    }

    [Fact]
    public void Random_mode_draws_from_the_injected_source()
    {
        string[] clients = ["client-a", "client-b", "client-c"];
        foreach (string client in clients)
        {
            Provide(_registry, "ws-1", client, "calc");
        }

        var expected = new Random(1234);
        for (int i = 0; i < 20; i++)
        {
            Assert.Equal(clients[expected.Next(clients.Length)], _registry.Resolve("calc", "ws-1", "random").ClientId);
        }
    }

    [Fact]
    public void The_public_workspace_defaults_to_random()
    {
        Provide(_registry, "public", "client-a", "calc", visibility: "public");
        Provide(_registry, "public", "client-b", "calc", visibility: "public");

        RegisteredService picked = _registry.Resolve("public/calc", "ws-1");

        Assert.Equal("calc", picked.ServiceName);
        AssertFails(ServiceRegistryErrorKind.Ambiguous, () => _registry.Resolve("public/calc", "ws-1", "exact"));
    }

    [Fact]
    public void Only_reachable_providers_are_candidates()
    {
        Provide(_registry, "ws-1", "client-a", "calc");
        RegisteredService open = Provide(_registry, "ws-1", "client-b", "calc", visibility: "public");

        Assert.Same(open, _registry.Resolve("ws-1/calc", "ws-2"));
        AssertFails(ServiceRegistryErrorKind.Ambiguous, () => _registry.Resolve("ws-1/calc", "ws-1"));
    }

    [Theory]
    [InlineData("min_load")]
    [InlineData("select:min:get_load")]
    [InlineData("Exact")]
    public void Unsupported_modes_are_invalid(string mode)
    {
        Provide(_registry, "ws-1", "client-a", "calc");

        var error = AssertFails(ServiceRegistryErrorKind.Invalid, () => _registry.Resolve("calc", "ws-1", mode));

        Assert.Contains($"Invalid mode: '{mode}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Service_info_is_a_copy()
    {
        Provide(_registry, "ws-1", "client-a", "calc");

        MsgPackMap info = _registry.GetServiceInfo("calc", "ws-1");
        info["name"] = "changed";
        info["config"].AsMap()["url"] = "http://x";

        MsgPackMap again = _registry.GetServiceInfo("calc", "ws-1");
        Assert.Equal("calc", again["name"].AsString());
        Assert.False(again["config"].AsMap().ContainsKey("url"));
    }

    [Fact]
    public void Authorized_workspaces_are_hidden_from_other_workspaces()
    {
        Provide(_registry, "ws-1", "client-a", "calc", authorizedWorkspaces: ["ws-2", "ws-3"]);

        MsgPackMap owner = _registry.GetServiceInfo("calc", "ws-1");
        MsgPackMap guest = _registry.GetServiceInfo("ws-1/calc", "ws-2");
        MsgPackMap manager = _registry.GetServiceInfo("ws-1/calc", "*", asManager: true);

        Assert.Equal(2, owner["config"]["authorized_workspaces"].AsArray().Length);
        Assert.False(guest["config"].AsMap().ContainsKey("authorized_workspaces"));
        Assert.Equal(2, manager["config"]["authorized_workspaces"].AsArray().Length);
        Assert.Equal("ws-1/client-a:calc", guest["id"].AsString());
    }

    [Fact]
    public void Resolves_a_parsed_lookup()
    {
        RegisteredService calc = Provide(_registry, "ws-1", "client-a", "calc");
        var query = (ServiceLookup)ServiceQuery.Parse("calc", "ws-1");

        Assert.Same(calc, _registry.Resolve(query, "ws-1"));
    }
}
