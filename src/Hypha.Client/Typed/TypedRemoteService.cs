using System.ComponentModel;
using Hypha.Client.Rpc;
using Hypha.Protocol.Objects;

namespace Hypha.Client.Typed;

/// <summary>
/// A remote service as a generated proxy calls it: each contract method bound once, by its wire name, to the
/// function the service offers (target and path), so a call needs no lookup by name. A proxy may also be bound on
/// its first call (<see cref="HyphaServices.CreateProxy{TService}"/>: dependency injection hands out proxies before
/// the connection is up).
/// </summary>
public sealed class TypedRemoteService
{
    private readonly HyphaServiceDescriptor _descriptor;
    private readonly Func<CancellationToken, Task<(RpcPeer Peer, RemoteService Service)>>? _resolve;
    private readonly SemaphoreSlim? _binding;
    private volatile Bound? _bound;

    internal TypedRemoteService(RpcPeer peer, RemoteService service, HyphaServiceDescriptor descriptor)
    {
        _descriptor = descriptor;
        _bound = Bind(peer, service, descriptor);
    }

    internal TypedRemoteService(Func<CancellationToken, Task<(RpcPeer Peer, RemoteService Service)>> resolve, HyphaServiceDescriptor descriptor)
    {
        _descriptor = descriptor;
        _resolve = resolve;
        _binding = new SemaphoreSlim(1, 1);
    }

    /// <summary>The full service id, once bound (null before).</summary>
    public string? Id => _bound?.Service.Id;

    /// <summary>The service as <c>get_service</c> returned it, once bound (null before).</summary>
    public RemoteService? Service => _bound?.Service;

    /// <summary>
    /// The record fingerprint this proxy and the service agreed on, once bound: their calls carry records in binary form.
    /// Null when records travel as maps (hypha mode, another provider, another version of the contract) or before binding.
    /// </summary>
    public string? BinaryRecords => _bound?.Records;

    /// <summary>
    /// Starts a call of method <paramref name="methodId"/>; false when the proxy is not bound yet (then
    /// <see cref="BindAsync"/> first).
    /// </summary>
    /// <exception cref="KeyNotFoundException">The remote service offers no function of the method's wire name.</exception>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public bool TryStartCall(int methodId, out TypedOutgoingCall call)
    {
        if (_bound is not { } bound)
        {
            call = null!;
            return false;
        }

        RemoteMethod function = bound.Functions[methodId] ?? throw new KeyNotFoundException(
            $"Service {bound.Service.Id} has no function '{_descriptor.Methods[methodId].WireName}' ({_descriptor.ServiceType.Name}).");
        TypedMethod method = _descriptor.Methods[methodId];
        call = new TypedOutgoingCall(bound.Peer, function, null, bound.Cancellable && method.TakesCancellation, method.CarriesRecords ? bound.Records : null);
        return true;
    }

    /// <summary>Binds the proxy: gets the service (once; concurrent first calls wait for the same binding).</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public async Task BindAsync(CancellationToken cancellationToken)
    {
        if (_bound is not null || _resolve is null)
        {
            return;
        }

        await _binding!.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_bound is null)
            {
                (RpcPeer peer, RemoteService service) = await _resolve(cancellationToken).ConfigureAwait(false);
                _bound = Bind(peer, service, _descriptor);
            }
        }
        finally
        {
            _binding.Release();
        }
    }

    private static Bound Bind(RpcPeer peer, RemoteService service, HyphaServiceDescriptor descriptor)
    {
        var functions = new RemoteMethod?[descriptor.Methods.Count];
        for (int i = 0; i < functions.Length; i++)
        {
            functions[i] = service.Members.TryGetValue(descriptor.Methods[i].WireName, out object? member) && member is RemoteFunction function
                ? function.Descriptor
                : null;
        }

        bool cancellable = service.Config.TryGetValue(TypedServices.CancellableKey, out object? flag) && flag is true;
        return new Bound(peer, service, functions, cancellable, AgreedRecords(peer, service, descriptor));
    }

    // Records go in their binary form only from a native connection to a service that advertised the same record
    // fingerprint (a typed .NET service on a native connection); everyone else gets maps.
    private static string? AgreedRecords(RpcPeer peer, RemoteService service, HyphaServiceDescriptor descriptor) =>
        peer.Options.BinaryRecords && descriptor.RecordsFingerprint is { } own
            && service.Config.TryGetValue(TypedRecords.ConfigKey, out object? advertised) && advertised is string theirs && theirs == own
            ? own
            : null;

    /// <summary>The service bound; <paramref name="Records"/> is the record fingerprint both sides hold, or null for maps.</summary>
    private sealed record Bound(RpcPeer Peer, RemoteService Service, RemoteMethod?[] Functions, bool Cancellable, string? Records);
}
