using Hypha.Client;
using Hypha.Server;
using Microsoft.Extensions.DependencyInjection;

namespace Hypha.Hosting.Tests;

public sealed class DependencyInjectionTests : IAsyncLifetime
{
    private HyphaServer _server = null!;

    public async Task InitializeAsync() => _server = await HyphaServer.StartAsync(new Hypha.Server.HyphaServerOptions { Port = 0 });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private string Url(bool native) => native ? _server.NativeUrl : _server.BaseUrl;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_hosted_typed_service_serves_each_call_from_its_own_scope_and_an_injected_proxy_calls_it(bool native)
    {
        var lifecycle = new Lifecycle();
        var services = new ServiceCollection();
        services.AddSingleton(lifecycle);
        services.AddScoped<Salutation>();
        services.AddHyphaServer(new HyphaClientOptions { ServerUrl = Url(native), ClientId = "di-host" })
            .AddService<IGreeter, Greeter>();
        await using ServiceProvider provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
        HyphaServerHost host = provider.GetRequiredService<HyphaServerHost>();
        await host.StartAsync(CancellationToken.None);
        string serviceId = Assert.Single(host.Registrations).Id;

        var consumers = new ServiceCollection();
        consumers.AddHyphaClient(new HyphaClientOptions { ServerUrl = Url(native), ClientId = "di-consumer" }).AddProxy<IGreeter>(serviceId);
        await using ServiceProvider consumer = consumers.BuildServiceProvider();
        IGreeter greeter = consumer.GetRequiredService<IGreeter>();

        Assert.Equal("Hello, Ada! (#1)", await greeter.GreetAsync("Ada"));
        Assert.Equal("Hello, Bob! (#2)", await greeter.GreetAsync("Bob"));
        await WaitUntilAsync(() => Volatile.Read(ref lifecycle.Disposed) == 2);
        Assert.Same(greeter, consumer.GetRequiredService<IGreeter>());

        await host.StopAsync(CancellationToken.None);
        HyphaClient consumerClient = await consumer.GetRequiredService<HyphaClientConnection>().GetClientAsync();
        await Assert.ThrowsAnyAsync<Exception>(() => consumerClient.GetServiceAsync(serviceId));
    }

    [Fact]
    public async Task A_singleton_implementation_serves_every_call()
    {
        var lifecycle = new Lifecycle();
        var services = new ServiceCollection();
        services.AddSingleton(lifecycle);
        services.AddSingleton<Salutation>();
        services.AddSingleton<Greeter>();
        services.AddHyphaServer(_ => new HyphaClientOptions { ServerUrl = Url(native: false) }).AddService<IGreeter, Greeter>();
        await using ServiceProvider provider = services.BuildServiceProvider();
        HyphaServerHost host = provider.GetRequiredService<HyphaServerHost>();
        await host.StartAsync(CancellationToken.None);

        await using HyphaClient client = await HyphaClient.ConnectAsync(new HyphaClientOptions { ServerUrl = Url(native: true) });
        IGreeter greeter = await client.GetServiceAsync<IGreeter>(host.Registrations[0].Id);
        Assert.Equal("Hello, Ada! (#1)", await greeter.GreetAsync("Ada"));
        Assert.Equal("Hello, Bob! (#1)", await greeter.GreetAsync("Bob"));
        Assert.Equal(1, lifecycle.Created);
        Assert.Equal(0, lifecycle.Disposed);
        await host.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task A_stream_keeps_its_scope_until_it_ends()
    {
        var lifecycle = new Lifecycle();
        var services = new ServiceCollection();
        services.AddSingleton(lifecycle);
        services.AddScoped<Salutation>();
        services.AddHyphaServer(new HyphaClientOptions { ServerUrl = Url(native: true) }).AddService<IGreeter, Greeter>();
        await using ServiceProvider provider = services.BuildServiceProvider();
        HyphaServerHost host = provider.GetRequiredService<HyphaServerHost>();
        await host.StartAsync(CancellationToken.None);

        await using HyphaClient client = await HyphaClient.ConnectAsync(new HyphaClientOptions { ServerUrl = Url(native: true) });
        IGreeter greeter = await client.GetServiceAsync<IGreeter>(host.Registrations[0].Id);
        var items = new List<int>();
        await foreach (int i in greeter.CountAsync(5))
        {
            items.Add(i);
            Assert.Equal(0, Volatile.Read(ref lifecycle.Disposed));
        }

        Assert.Equal([0, 1, 2, 3, 4], items);
        await WaitUntilAsync(() => Volatile.Read(ref lifecycle.Disposed) == 1);
        await host.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task A_proxy_whose_server_cannot_be_reached_fails_its_call_with_the_reason()
    {
        var services = new ServiceCollection();
        services.AddHyphaClient(new HyphaClientOptions { ServerUrl = "tcp://127.0.0.1:1", ConnectTimeout = TimeSpan.FromSeconds(2) }).AddProxy<IGreeter>("nowhere:greeter");
        await using ServiceProvider provider = services.BuildServiceProvider();
        IGreeter greeter = provider.GetRequiredService<IGreeter>();

        await Assert.ThrowsAsync<Hypha.Client.Connection.HyphaConnectionException>(() => greeter.GreetAsync("Ada"));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (int i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(25);
        }

        Assert.True(condition());
    }
}
