using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Hypha.Bench.Scenarios.Rpc;

/// <summary>
/// The server of the <c>aspnet-http</c> case: a minimal-API endpoint, <c>POST /add</c>, on Kestrel at 127.0.0.1
/// (ephemeral port), set up the way the slim ASP.NET Core templates do, with logging off.
/// </summary>
internal sealed class AspNetAddServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private AspNetAddServer(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public static async Task<AspNetAddServer> StartAsync()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, AddJsonContext.Default));

        WebApplication app = builder.Build();
        app.MapPost("/add", (AddRequest add) => new AddResponse(add.A + add.B));
        try
        {
            await app.StartAsync().ConfigureAwait(false);
            return new AspNetAddServer(app, new Uri(app.Urls.First()));
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _app.StopAsync().ConfigureAwait(false);
        }
        finally
        {
            await _app.DisposeAsync().ConfigureAwait(false);
        }
    }
}
