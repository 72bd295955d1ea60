using Hypha.Client.Typed;
using Microsoft.Extensions.DependencyInjection;

namespace Hypha.Hosting;

/// <summary>Each call's implementation comes from a new container scope, which the call's answer (or stream) ends.</summary>
internal sealed class ScopedActivator<TService, TImplementation>(IServiceScopeFactory scopes) : IHyphaServiceActivator<TService>
    where TService : class
    where TImplementation : class, TService
{
    public TService Activate(out IAsyncDisposable? scope)
    {
        AsyncServiceScope created = scopes.CreateAsyncScope();
        try
        {
            TService service = created.ServiceProvider.GetRequiredService<TImplementation>();
            scope = created;
            return service;
        }
        catch
        {
            _ = created.DisposeAsync().AsTask();
            throw;
        }
    }
}
