using Hypha.Client;
using Hypha.Client.Rpc;
using Hypha.Client.Services;
using Hypha.Interop.Tests.Infrastructure;

namespace Hypha.Interop.Tests.Live;

/// <summary>Two of our own clients through our own server: the whole hypha-mode stack, with no Node involved.</summary>
public class DotNetThroughServerTests
{
    [Fact]
    public async Task ClientsRegisterGetAndCallEachOtherThroughTheServer()
    {
        await using LiveServer server = await LiveServer.StartAsync();
        await using HyphaClient provider = await HyphaClient.ConnectAsync(new HyphaClientOptions { ServerUrl = server.Url, ClientId = "provider" });
        await using HyphaClient consumer = await HyphaClient.ConnectAsync(new HyphaClientOptions { ServerUrl = server.Url, ClientId = "consumer" });

        ServiceRegistration registration = await provider.RegisterServiceAsync(new ServiceBuilder("calc")
            .Visibility(ServiceVisibility.Public)
            .Add("add", (int a, int b) => a + b));
        RemoteService calc = await consumer.GetServiceAsync(registration.Id);

        Assert.Equal($"{provider.Workspace}/provider:calc", registration.Id);
        Assert.Equal(registration.Id, calc.Id);
        Assert.Equal(42, await calc.InvokeAsync<int>("add", 40, 2));
        Assert.Equal("hi", await consumer.Manager.InvokeAsync<string>("echo", "hi"));
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public async Task A_provider_drops_what_it_handed_a_caller_of_another_workspace_once_that_caller_leaves(bool nativeProvider, bool nativeCaller)
    {
        await using LiveServer server = await LiveServer.StartAsync();
        await using HyphaClient provider = await HyphaClient.ConnectAsync(new HyphaClientOptions { ServerUrl = nativeProvider ? server.NativeUrl : server.Url });
        ServiceRegistration registration = await provider.RegisterServiceAsync(new ServiceBuilder("numbers")
            .Visibility(ServiceVisibility.Public)
            .Add("count", () => Endless()));
        HyphaClient caller = await HyphaClient.ConnectAsync(new HyphaClientOptions { ServerUrl = nativeCaller ? server.NativeUrl : server.Url });
        Assert.NotEqual(provider.Workspace, caller.Workspace);

        // The caller reads one item of the generator and leaves without closing it: the provider holds its session.
        RemoteService numbers = await caller.GetServiceAsync(registration.Id);
        IAsyncEnumerator<int> items = (await numbers.InvokeAsync<IAsyncEnumerable<int>>("count")).GetAsyncEnumerator();
        Assert.True(await items.MoveNextAsync());
        Assert.Equal(1, provider.Peer.SessionCount);
        await caller.DisposeAsync();

        // client_disconnected reaches only the caller's own workspace; the server's peer_not_found reaches the provider.
        await LiveKit.WaitUntilAsync(() => Task.FromResult(provider.Peer.SessionCount == 0), TimeSpan.FromSeconds(10), "the provider dropped the session");
    }

    private static async IAsyncEnumerable<int> Endless()
    {
        for (int i = 0; ; i++)
        {
            await Task.Yield();
            yield return i;
        }
    }

    [Fact]
    public async Task ProtectedServiceOfAnotherWorkspaceIsRefused()
    {
        await using LiveServer server = await LiveServer.StartAsync();
        await using HyphaClient provider = await HyphaClient.ConnectAsync(new HyphaClientOptions { ServerUrl = server.Url });
        await using HyphaClient outsider = await HyphaClient.ConnectAsync(new HyphaClientOptions { ServerUrl = server.Url });
        ServiceRegistration registration = await provider.RegisterServiceAsync(new ServiceBuilder("secret").Add("f", () => 1));

        Assert.NotEqual(provider.Workspace, outsider.Workspace);
        var error = await Assert.ThrowsAsync<RemoteException>(() => outsider.GetServiceAsync(registration.Id));
        Assert.Contains("Permission denied", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetServiceAcceptsPythonsKeywordConfig()
    {
        await using LiveServer server = await LiveServer.StartAsync();
        await using HyphaClient provider = await HyphaClient.ConnectAsync(new HyphaClientOptions { ServerUrl = server.Url, ClientId = "provider" });
        await using HyphaClient consumer = await HyphaClient.ConnectAsync(new HyphaClientOptions { ServerUrl = server.Url });
        ServiceRegistration registration = await provider.RegisterServiceAsync(new ServiceBuilder("calc")
            .Visibility(ServiceVisibility.Public)
            .Add("add", (int a, int b) => a + b));

        // What Python sends for get_service(id, config={...}): args [id, {"config": {...}}] with with_kwargs.
        var service = await consumer.Manager.InvokeAsync<IReadOnlyDictionary<string, object?>>("get_service", [registration.Id],
            new Dictionary<string, object?> { ["config"] = new Dictionary<string, object?> { ["mode"] = "exact" } });

        var calc = new RemoteService(service);
        Assert.Equal(registration.Id, calc.Id);
        Assert.Equal(5, await calc.InvokeAsync<int>("add", 2, 3));
        Assert.Equal(provider.Workspace, calc.Config["workspace"]);
    }

    [Fact]
    public async Task ListServicesTakesDictAndStringQueries()
    {
        await using LiveServer server = await LiveServer.StartAsync();
        await using HyphaClient provider = await HyphaClient.ConnectAsync(new HyphaClientOptions { ServerUrl = server.Url, ClientId = "provider" });
        await provider.RegisterServiceAsync(new ServiceBuilder("calc").Visibility(ServiceVisibility.Public).Add("f", () => 1));
        await provider.RegisterServiceAsync(new ServiceBuilder("hidden").Visibility(ServiceVisibility.Unlisted).Add("f", () => 2));
        await using HyphaClient other = await HyphaClient.ConnectAsync(new HyphaClientOptions { ServerUrl = server.Url });

        static string[] Ids(IEnumerable<IReadOnlyDictionary<string, object?>> services) =>
            services.Select(s => (string)s["id"]!).Order().ToArray();

        Assert.Equal([$"{provider.Workspace}/provider:built-in", $"{provider.Workspace}/provider:calc"], Ids(await provider.ListServicesAsync()));
        Assert.Equal([$"{provider.Workspace}/provider:calc"],
            Ids(await other.ListServicesAsync(new Dictionary<string, object?> { ["workspace"] = provider.Workspace, ["service_id"] = "calc" })));
        Assert.Equal([$"{provider.Workspace}/provider:calc"], Ids(await other.ListServicesAsync($"{provider.Workspace}/*:calc")));
        Assert.Contains($"{provider.Workspace}/provider:calc", Ids(await other.ListServicesAsync(new Dictionary<string, object?> { ["workspace"] = "*" })));
    }
}
