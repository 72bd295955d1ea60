using System.ComponentModel;
using Hypha.Client.Services;

namespace Hypha.Client.Typed;

/// <summary>
/// What the generator knows of one typed service contract: its default id and description, its methods with their
/// wire names and JSON schemas, the name-to-id switch, the proxy factory and the dispatcher. Generated code derives
/// from <see cref="HyphaServiceDescriptor{TService}"/> and registers itself with <see cref="HyphaServices"/>.
/// </summary>
public abstract class HyphaServiceDescriptor
{
    /// <summary>The contract interface.</summary>
    public abstract Type ServiceType { get; }

    /// <summary>The service id a registration uses unless told otherwise.</summary>
    public abstract string ServiceId { get; }

    /// <summary>The display name, or null for the id.</summary>
    public abstract string? Name { get; }

    /// <summary>What the service does, or null.</summary>
    public abstract string? Description { get; }

    /// <summary>Who may call the service unless the registration says otherwise.</summary>
    public abstract ServiceVisibility Visibility { get; }

    /// <summary>
    /// The fingerprint of the shapes of every record the contract carries in binary form (16 hex digits), or null when
    /// it carries none: two peers use binary records only when theirs are equal.
    /// </summary>
    public virtual string? RecordsFingerprint => null;

    /// <summary>The methods, indexed by method id.</summary>
    public abstract IReadOnlyList<TypedMethod> Methods { get; }

    /// <summary>The method id of a wire name (a generated switch), or -1 when the contract has no such method.</summary>
    public abstract int MethodId(ReadOnlySpan<char> wireName);
}

/// <summary>The generated description of the contract <typeparamref name="TService"/>: see <see cref="HyphaServiceDescriptor"/>.</summary>
/// <typeparam name="TService">The contract interface.</typeparam>
public abstract class HyphaServiceDescriptor<TService> : HyphaServiceDescriptor
    where TService : class
{
    /// <inheritdoc />
    public sealed override Type ServiceType => typeof(TService);

    /// <summary>A proxy that calls the remote service through <paramref name="remote"/>.</summary>
    public abstract TService CreateProxy(TypedRemoteService remote);

    /// <summary>
    /// Runs method <paramref name="methodId"/> of <paramref name="service"/>: reads its arguments from
    /// <paramref name="request"/> (positional or keyword), calls it, and writes its result into
    /// <paramref name="response"/>. Completes synchronously when the method does.
    /// </summary>
    /// <exception cref="ArgumentException">An argument is missing, superfluous or of the wrong type.</exception>
    [EditorBrowsable(EditorBrowsableState.Advanced)]
    public abstract ValueTask InvokeAsync(TService service, int methodId, TypedRequest request, TypedResponse response, CancellationToken cancellationToken);
}
