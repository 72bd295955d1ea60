using Hypha.Protocol.MsgPack;
using Hypha.Server.Workspaces;
using static Hypha.Server.Tests.Workspaces.ServiceInfos;

namespace Hypha.Server.Tests.Workspaces;

public class ServiceRegistryRemovalTests
{
    private readonly ServiceRegistry _registry = new();

    [Theory]
    [InlineData("ws-1/client-a:calc")]
    [InlineData("client-a:calc")]
    [InlineData("calc")]
    [InlineData("ws-1/calc")]
    [InlineData("ws-1/client-a:calc@*")]
    public void The_owner_unregisters_by_any_id_form(string serviceId)
    {
        RegisteredService calc = Provide(_registry, "ws-1", "client-a", "calc");
        Provide(_registry, "ws-1", "client-b", "calc");

        RegisteredService removed = _registry.Unregister(new ConnectedCaller("ws-1", "client-a"), serviceId);

        Assert.Same(calc, removed);
        Assert.Equal("client-b", _registry.Resolve("calc", "ws-1").ClientId);
    }

    [Fact]
    public void Another_client_cannot_unregister()
    {
        Provide(_registry, "ws-1", "client-a", "calc");
        var other = new ConnectedCaller("ws-1", "client-b");

        var error = AssertFails(ServiceRegistryErrorKind.PermissionDenied, () => _registry.Unregister(other, "ws-1/client-a:calc"));
        AssertFails(ServiceRegistryErrorKind.PermissionDenied, () => _registry.Unregister(new ConnectedCaller("ws-2", "client-a"), "ws-1/client-a:calc"));

        Assert.Contains("only the client that registered a service may remove it", error.Message, StringComparison.Ordinal);
        Assert.Equal("client-a", _registry.Resolve("calc", "ws-1").ClientId);
    }

    [Fact]
    public void A_missing_service_is_not_found()
    {
        Provide(_registry, "ws-1", "client-a", "calc");
        var owner = new ConnectedCaller("ws-1", "client-a");

        var error = AssertFails(ServiceRegistryErrorKind.NotFound, () => _registry.Unregister(owner, "nope"));
        AssertFails(ServiceRegistryErrorKind.NotFound, () => _registry.Unregister(owner, "calc@other-app"));

        Assert.Equal("Service not found: ws-1/client-a:nope", error.Message);
    }

    [Fact]
    public void The_manager_service_cannot_be_unregistered()
    {
        AssertFails(ServiceRegistryErrorKind.PermissionDenied, () => _registry.Unregister(new ConnectedCaller("ws-1", "client-a"), "~"));
    }

    [Fact]
    public void Unregistering_twice_fails_the_second_time()
    {
        Provide(_registry, "ws-1", "client-a", "calc");
        var owner = new ConnectedCaller("ws-1", "client-a");

        _registry.Unregister(owner, "calc");

        AssertFails(ServiceRegistryErrorKind.NotFound, () => _registry.Unregister(owner, "calc"));
    }

    [Fact]
    public void Unregistering_built_in_stops_further_registrations()
    {
        ConnectedCaller owner = Connect(_registry, "ws-1", "client-a");

        _registry.Unregister(owner, "built-in");

        Assert.Null(_registry.Register(owner, Info("ws-1/client-a:calc")));
    }

    [Fact]
    public void Remove_client_removes_all_its_services_and_nothing_else()
    {
        Provide(_registry, "ws-1", "client-a", "calc");
        Provide(_registry, "ws-1", "client-a", "pub", visibility: "public");
        Provide(_registry, "ws-1", "client-b", "calc");
        Provide(_registry, "ws-2", "client-a", "calc");

        IReadOnlyList<RegisteredService> removed = _registry.RemoveClient("ws-1", "client-a");

        Assert.Equal(
            ["ws-1/client-a:built-in", "ws-1/client-a:calc", "ws-1/client-a:pub"],
            removed.Select(s => s.Id.ToString()));
        Assert.Equal(["ws-1/client-b:built-in", "ws-1/client-b:calc"], Ids(_registry.List(MsgPackValue.Nil, "ws-1")));
        Assert.Equal(["ws-2/client-a:built-in", "ws-2/client-a:calc"], Ids(_registry.List(MsgPackValue.Nil, "ws-2")));
        Assert.Null(_registry.Register(new ConnectedCaller("ws-1", "client-a"), Info("ws-1/client-a:calc")));
    }

    [Fact]
    public void Remove_client_of_an_unknown_client_removes_nothing()
    {
        Provide(_registry, "ws-1", "client-a", "calc");

        Assert.Empty(_registry.RemoveClient("ws-1", "client-z"));
        Assert.Empty(_registry.RemoveClient("ws-9", "client-a"));
        Assert.Equal(2, _registry.List(MsgPackValue.Nil, "ws-1").Count);
    }

    [Fact]
    public void A_client_can_register_again_after_removal()
    {
        Provide(_registry, "ws-1", "client-a", "calc");
        _registry.RemoveClient("ws-1", "client-a");

        RegisteredService again = Provide(_registry, "ws-1", "client-a", "calc");

        Assert.Same(again, _registry.Resolve("calc", "ws-1"));
    }
}
