using Hypha.Client.Services;
using Hypha.Protocol.MsgPack;
using Hypha.Server.Workspaces;
using static Hypha.Server.Tests.Workspaces.ServiceInfos;

namespace Hypha.Server.Tests.Workspaces;

public class ServiceRegistryRegisterTests
{
    private readonly ServiceRegistry _registry = new();

    [Fact]
    public void Stores_the_info_with_the_fields_the_server_adds()
    {
        ConnectedCaller caller = Connect(_registry, "ws-1", "client-a");
        MsgPackMap sent = Info("ws-1/client-a:calc", visibility: "public", type: "math");
        sent["service_schema"] = new MsgPackMap { { "add", "schema" } };

        RegisteredService? entry = _registry.Register(caller, sent);

        Assert.NotNull(entry);
        Assert.Equal(new ServiceId("ws-1", "client-a", "calc"), entry.Id);
        Assert.Equal(("ws-1", "client-a", "calc"), (entry.Workspace, entry.ClientId, entry.ServiceName));
        Assert.Null(entry.AppId);
        Assert.Equal(ServiceVisibility.Public, entry.Visibility);
        Assert.Equal("math", entry.Type);
        Assert.Empty(entry.AuthorizedWorkspaces);
        Assert.Equal(
            ["id", "type", "config", "service_schema", "app_id", "name"],
            entry.Info.Select(e => e.Key.AsString()));
        Assert.Equal("calc", entry.Info["name"].AsString());
        Assert.Equal("*", entry.Info["app_id"].AsString());
        Assert.Equal("ws-1", entry.Info["config"]["workspace"].AsString());
        Assert.Equal("user-client-a", entry.Info["config"]["created_by"]["id"].AsString());
        Assert.Equal("schema", entry.Info["service_schema"]["add"].AsString());
    }

    [Fact]
    public void Leaves_the_sent_map_untouched()
    {
        ConnectedCaller caller = Connect(_registry, "ws-1", "client-a");
        MsgPackMap sent = Info("client-a:calc");
        MsgPackMap before = sent.Clone();

        _registry.Register(caller, sent);

        Assert.Equal(before, sent);
        Assert.Empty(sent["config"].AsMap());
    }

    [Fact]
    public void Defaults_to_protected_and_generic()
    {
        ConnectedCaller caller = Connect(_registry, "ws-1", "client-a");
        MsgPackMap sent = new() { { "id", "ws-1/client-a:calc" } };

        RegisteredService entry = _registry.Register(caller, sent)!;

        Assert.Equal(ServiceVisibility.Protected, entry.Visibility);
        Assert.Equal("generic", entry.Type);
        Assert.Equal("ws-1", entry.Info["config"]["workspace"].AsString());
    }

    [Fact]
    public void A_nil_visibility_means_protected()
    {
        ConnectedCaller caller = Connect(_registry, "ws-1", "client-a");
        MsgPackMap sent = Info("ws-1/client-a:calc");
        sent["config"].AsMap()["visibility"] = MsgPackValue.Nil;

        Assert.Equal(ServiceVisibility.Protected, _registry.Register(caller, sent)!.Visibility);
    }

    [Fact]
    public void Keeps_a_name_the_client_gave()
    {
        ConnectedCaller caller = Connect(_registry, "ws-1", "client-a");

        RegisteredService entry = _registry.Register(caller, Info("ws-1/client-a:calc", name: "Calculator"))!;

        Assert.Equal("Calculator", entry.Info["name"].AsString());
    }

    [Fact]
    public void Overwrites_a_claimed_workspace_and_creator()
    {
        ConnectedCaller caller = Connect(_registry, "ws-1", "client-a") with { UserId = null };
        MsgPackMap sent = Info("ws-1/client-a:calc");
        sent["config"].AsMap()["workspace"] = "ws-evil";
        sent["config"].AsMap()["created_by"] = new MsgPackMap { { "id", "root" } };

        RegisteredService entry = _registry.Register(caller, sent)!;

        Assert.Equal("ws-1", entry.Info["config"]["workspace"].AsString());
        Assert.False(entry.Info["config"].AsMap().ContainsKey("created_by"));
    }

    [Fact]
    public void Accepts_an_id_without_workspace()
    {
        ConnectedCaller caller = Connect(_registry, "ws-1", "client-a");

        RegisteredService entry = _registry.Register(caller, Info("client-a:calc"))!;

        Assert.Equal("ws-1/client-a:calc", entry.Info["id"].AsString());
    }

    [Theory]
    [InlineData("ws-1/client-a:calc@my-app", null)]
    [InlineData("ws-1/client-a:calc", "my-app")]
    [InlineData("ws-1/client-a:calc@my-app", "my-app")]
    public void Reads_the_app_id_from_the_id_or_the_field(string id, string? appField)
    {
        ConnectedCaller caller = Connect(_registry, "ws-1", "client-a");

        RegisteredService entry = _registry.Register(caller, Info(id, appId: appField))!;

        Assert.Equal("my-app", entry.AppId);
        Assert.Equal("ws-1/client-a:calc", entry.Info["id"].AsString());
        Assert.Equal("my-app", entry.Info["app_id"].AsString());
    }

    [Theory]
    [InlineData("ws-1/client-a:calc@one", "two")]
    [InlineData("ws-1/client-a:calc", "a/b")]
    [InlineData("ws-1/client-a:calc", "a@b")]
    public void Rejects_bad_app_ids(string id, string appField)
    {
        ConnectedCaller caller = Connect(_registry, "ws-1", "client-a");

        AssertFails(ServiceRegistryErrorKind.Invalid, () => _registry.Register(caller, Info(id, appId: appField)));
    }

    [Fact]
    public void Refuses_another_workspace()
    {
        ConnectedCaller caller = Connect(_registry, "ws-1", "client-a");

        var error = AssertFails(ServiceRegistryErrorKind.PermissionDenied, () => _registry.Register(caller, Info("ws-2/client-a:calc")));

        Assert.Contains("'ws-2' does not match the current workspace 'ws-1'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_another_client()
    {
        ConnectedCaller caller = Connect(_registry, "ws-1", "client-a");
        Connect(_registry, "ws-1", "client-b");

        var error = AssertFails(ServiceRegistryErrorKind.PermissionDenied, () => _registry.Register(caller, Info("ws-1/client-b:calc")));

        Assert.Contains("only its own services", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("calc")]
    [InlineData("ws-1/calc")]
    [InlineData("ws-1/client-a:")]
    [InlineData("ws-1/client-a:a:b")]
    [InlineData("ws-1/*:calc")]
    [InlineData("ws-1/client-a:*")]
    public void Refuses_malformed_ids(string id)
    {
        ConnectedCaller caller = Connect(_registry, "ws-1", "client-a");

        AssertFails(ServiceRegistryErrorKind.Invalid, () => _registry.Register(caller, Info(id)));
    }

    [Fact]
    public void Refuses_a_missing_or_non_string_id()
    {
        ConnectedCaller caller = Connect(_registry, "ws-1", "client-a");

        AssertFails(ServiceRegistryErrorKind.Invalid, () => _registry.Register(caller, new MsgPackMap()));
        AssertFails(ServiceRegistryErrorKind.Invalid, () => _registry.Register(caller, new MsgPackMap { { "id", 42 } }));
    }

    [Fact]
    public void Refuses_an_unknown_visibility()
    {
        ConnectedCaller caller = Connect(_registry, "ws-1", "client-a");

        var error = AssertFails(ServiceRegistryErrorKind.Invalid, () => _registry.Register(caller, Info("ws-1/client-a:calc", visibility: "secret")));

        Assert.Contains("Invalid visibility 'secret'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_malformed_config_and_fields()
    {
        ConnectedCaller caller = Connect(_registry, "ws-1", "client-a");

        AssertFails(ServiceRegistryErrorKind.Invalid, () => _registry.Register(caller, new MsgPackMap { { "id", "client-a:x" }, { "config", "nope" } }));
        AssertFails(ServiceRegistryErrorKind.Invalid, () => _registry.Register(caller, new MsgPackMap { { "id", "client-a:x" }, { "type", 3 } }));
        MsgPackMap badVisibility = Info("client-a:x");
        badVisibility["config"].AsMap()["visibility"] = 1;
        AssertFails(ServiceRegistryErrorKind.Invalid, () => _registry.Register(caller, badVisibility));
    }

    [Fact]
    public void Reads_authorized_workspaces_of_a_protected_service()
    {
        ConnectedCaller caller = Connect(_registry, "ws-1", "client-a");

        RegisteredService entry = _registry.Register(caller, Info("ws-1/client-a:calc", authorizedWorkspaces: ["ws-2", "ws-3"]))!;

        Assert.Equal(["ws-2", "ws-3"], entry.AuthorizedWorkspaces);
    }

    [Theory]
    [InlineData("public")]
    [InlineData("unlisted")]
    public void Refuses_authorized_workspaces_without_protected(string visibility)
    {
        ConnectedCaller caller = Connect(_registry, "ws-1", "client-a");

        var error = AssertFails(
            ServiceRegistryErrorKind.Invalid,
            () => _registry.Register(caller, Info("ws-1/client-a:calc", visibility, authorizedWorkspaces: [])));

        Assert.Contains("only be set when visibility is 'protected'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_malformed_authorized_workspaces()
    {
        ConnectedCaller caller = Connect(_registry, "ws-1", "client-a");
        MsgPackMap notAList = Info("client-a:x");
        notAList["config"].AsMap()["authorized_workspaces"] = "ws-2";
        MsgPackMap notStrings = Info("client-a:x");
        notStrings["config"].AsMap()["authorized_workspaces"] = new MsgPackValue[] { 1 };

        AssertFails(ServiceRegistryErrorKind.Invalid, () => _registry.Register(caller, notAList));
        AssertFails(ServiceRegistryErrorKind.Invalid, () => _registry.Register(caller, notStrings));
    }

    [Theory]
    [InlineData("ws-1/client-a:_rintf_abc123")]
    [InlineData("client-a:_rintf_x")]
    public void Drops_interface_callback_services(string id)
    {
        ConnectedCaller caller = Connect(_registry, "ws-1", "client-a");

        Assert.Null(_registry.Register(caller, Info(id)));
        Assert.Equal(["ws-1/client-a:built-in"], Ids(_registry.List(MsgPackValue.Nil, "ws-1")));
    }

    [Fact]
    public void Drops_local_only_services()
    {
        ConnectedCaller caller = Connect(_registry, "ws-1", "client-a");
        MsgPackMap sent = Info("ws-1/client-a:local");
        sent["config"].AsMap()["_local_only"] = true;

        Assert.Null(_registry.Register(caller, sent));
        AssertFails(ServiceRegistryErrorKind.NotFound, () => _registry.Resolve("local", "ws-1"));
    }

    [Fact]
    public void Refuses_silently_a_service_of_a_client_without_built_in()
    {
        var caller = new ConnectedCaller("ws-1", "ghost");

        Assert.Null(_registry.Register(caller, Info("ws-1/ghost:calc")));
        AssertFails(ServiceRegistryErrorKind.NotFound, () => _registry.Resolve("ws-1/ghost:calc", "ws-1"));
    }

    [Fact]
    public void Re_registering_replaces_in_place()
    {
        ConnectedCaller caller = Connect(_registry, "ws-1", "client-a");
        RegisteredService first = _registry.Register(caller, Info("ws-1/client-a:calc", name: "v1"))!;
        _registry.Register(caller, Info("ws-1/client-a:other"));

        RegisteredService? second = _registry.Register(caller, Info("ws-1/client-a:calc", visibility: "public", name: "v2"), out RegisteredService? replaced);

        Assert.Same(first, replaced);
        Assert.Equal("v2", _registry.GetServiceInfo("calc", "ws-1")["name"].AsString());
        Assert.Equal(ServiceVisibility.Public, second!.Visibility);
        Assert.Equal(
            ["ws-1/client-a:built-in", "ws-1/client-a:calc", "ws-1/client-a:other"],
            Ids(_registry.List(MsgPackValue.Nil, "ws-1")));
    }

    [Fact]
    public void Re_registering_with_another_app_id_replaces_too()
    {
        ConnectedCaller caller = Connect(_registry, "ws-1", "client-a");
        _registry.Register(caller, Info("ws-1/client-a:calc@one"));

        _registry.Register(caller, Info("ws-1/client-a:calc@two"), out RegisteredService? replaced);

        Assert.Equal("one", replaced!.AppId);
        Assert.Equal("two", _registry.Resolve("calc", "ws-1").AppId);
    }

    [Fact]
    public void A_first_registration_replaces_nothing()
    {
        ConnectedCaller caller = Connect(_registry, "ws-1", "client-a");

        _registry.Register(caller, Info("ws-1/client-a:calc"), out RegisteredService? replaced);

        Assert.Null(replaced);
    }

    [Fact]
    public void A_singleton_name_is_exclusive_in_its_workspace()
    {
        ConnectedCaller a = Connect(_registry, "ws-1", "client-a");
        ConnectedCaller b = Connect(_registry, "ws-1", "client-b");
        ConnectedCaller c = Connect(_registry, "ws-2", "client-c");
        _registry.Register(a, Info("ws-1/client-a:only", singleton: true));

        var error = AssertFails(ServiceRegistryErrorKind.Conflict, () => _registry.Register(b, Info("ws-1/client-b:only")));

        Assert.Contains("singleton service with the same name (only)", error.Message, StringComparison.Ordinal);
        Assert.NotNull(_registry.Register(a, Info("ws-1/client-a:only", singleton: true)));
        Assert.NotNull(_registry.Register(c, Info("ws-2/client-c:only")));
    }

    [Fact]
    public void A_singleton_cannot_join_an_existing_name()
    {
        ConnectedCaller a = Connect(_registry, "ws-1", "client-a");
        ConnectedCaller b = Connect(_registry, "ws-1", "client-b");
        _registry.Register(a, Info("ws-1/client-a:shared"));

        AssertFails(ServiceRegistryErrorKind.Conflict, () => _registry.Register(b, Info("ws-1/client-b:shared", singleton: true)));
    }
}
