namespace Hypha.Client.Typed;

/// <summary>
/// Supplies the implementation that serves each call of a typed service: one instance for every call, or one per
/// call from a scope (dependency injection), disposed once the call is answered, or once the stream it returned ends.
/// </summary>
/// <typeparam name="TService">The contract interface.</typeparam>
public interface IHyphaServiceActivator<TService>
    where TService : class
{
    /// <summary>The implementation for one call, and the scope to dispose after it (null for none).</summary>
    TService Activate(out IAsyncDisposable? scope);
}

/// <summary>One instance serves every call.</summary>
internal sealed class SingleInstanceActivator<TService>(TService instance) : IHyphaServiceActivator<TService>
    where TService : class
{
    public TService Activate(out IAsyncDisposable? scope)
    {
        scope = null;
        return instance;
    }
}
