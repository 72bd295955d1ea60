using System.ComponentModel;
using System.Runtime.CompilerServices;

namespace Hypha.Client.Typed;

/// <summary>
/// The generated descriptors of typed service contracts, one per interface marked <see cref="HyphaServiceAttribute"/>.
/// Generated code registers each from a module initializer; a lookup is a static field of a generic class (no
/// dictionary, no reflection).
/// </summary>
public static class HyphaServices
{
    /// <summary>Registers the descriptor of <typeparamref name="TService"/> (called by generated code).</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static void Register<TService>(HyphaServiceDescriptor<TService> descriptor)
        where TService : class
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        Registry<TService>.Descriptor = descriptor;
    }

    /// <summary>The descriptor of <typeparamref name="TService"/>.</summary>
    /// <exception cref="InvalidOperationException">No generated code describes it: the interface lacks
    /// <see cref="HyphaServiceAttribute"/>, or its project does not run the generator.</exception>
    public static HyphaServiceDescriptor<TService> Describe<TService>()
        where TService : class =>
        Registry<TService>.Descriptor ?? Registry<TService>.Load();

    /// <summary>
    /// A proxy of <typeparamref name="TService"/> bound on its first call: then <paramref name="connect"/> gives the
    /// client (connected), and the service <paramref name="serviceId"/> is fetched once. For containers that hand out
    /// proxies before any connection exists (<c>services.AddHyphaClient(...)</c>).
    /// </summary>
    /// <exception cref="InvalidOperationException"><typeparamref name="TService"/> has no generated code.</exception>
    public static TService CreateProxy<TService>(Func<CancellationToken, Task<HyphaClient>> connect, string serviceId)
        where TService : class
    {
        ArgumentNullException.ThrowIfNull(connect);
        ArgumentException.ThrowIfNullOrEmpty(serviceId);
        HyphaServiceDescriptor<TService> descriptor = Describe<TService>();
        return descriptor.CreateProxy(new TypedRemoteService(async cancellationToken =>
        {
            HyphaClient client = await connect(cancellationToken).ConfigureAwait(false);
            return (client.Peer, await client.GetServiceAsync(serviceId, null, cancellationToken).ConfigureAwait(false));
        }, descriptor));
    }

    private static class Registry<TService>
        where TService : class
    {
        public static HyphaServiceDescriptor<TService>? Descriptor;

        // The module initializer of the interface's assembly registers it; that assembly's code may not have run yet
        // when another assembly asks first, so run its initializer (once).
        public static HyphaServiceDescriptor<TService> Load()
        {
            RuntimeHelpers.RunModuleConstructor(typeof(TService).Module.ModuleHandle);
            return Descriptor ?? throw new InvalidOperationException(typeof(TService).IsInterface
                ? $"{typeof(TService)} has no generated Hypha service code: mark it [HyphaService(\"id\")] and build it with the " +
                  "generator that ships with Hypha.Client (docs/typed-services.md)."
                : $"{typeof(TService)} is not an interface: name the [HyphaService] contract, as in RegisterServiceAsync<ICalc>(implementation).");
        }
    }
}
