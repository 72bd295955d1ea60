using Hypha.Client.Services;

namespace Hypha.Client.Typed;

/// <summary>Turns a typed contract and its implementation into the <see cref="LocalService"/> a peer serves.</summary>
internal static class TypedServices
{
    /// <summary>
    /// The config key a typed service sets when a remote caller may cancel its running calls (through the provider's
    /// built-in <c>cancel</c>): a typed proxy then tells the provider when its caller cancels.
    /// </summary>
    public const string CancellableKey = "cancellable";

    /// <summary>The service of <paramref name="activator"/>'s implementations; with <paramref name="binaryRecords"/>, advertising its record fingerprint.</summary>
    public static LocalService Build<TService>(IHyphaServiceActivator<TService> activator, TypedServiceOptions? options, bool binaryRecords = false)
        where TService : class
    {
        ArgumentNullException.ThrowIfNull(activator);
        HyphaServiceDescriptor<TService> descriptor = HyphaServices.Describe<TService>();
        string id = options?.Id ?? descriptor.ServiceId;
        ServiceBuilder builder = new ServiceBuilder(id)
            .Name(options?.Name ?? descriptor.Name ?? id)
            .Visibility(options?.Visibility ?? descriptor.Visibility)
            .AuthorizeWorkspaces([.. options?.AuthorizedWorkspaces ?? []]);
        if (descriptor.Description is { } description)
        {
            builder.Description(description);
        }

        if (descriptor.Methods.Any(method => method.TakesCancellation))
        {
            builder.Config(CancellableKey, true);
        }

        // The methods that take an RpcContext are the service's require_context list, as a dynamic service names them.
        string[] withContext = [.. descriptor.Methods.Where(method => method.TakesContext).Select(method => method.WireName)];
        if (withContext.Length > 0)
        {
            builder.RequireContext(withContext);
        }

        if (binaryRecords && descriptor.RecordsFingerprint is { } records)
        {
            builder.Config(TypedRecords.ConfigKey, records);
        }

        foreach (TypedMethod method in descriptor.Methods)
        {
            builder.AddTyped(method);
        }

        return builder.Build(new TypedServiceHost<TService>(descriptor, activator));
    }
}
