namespace Hypha.Server.Workspaces;

/// <summary>A service-registry operation failed; <see cref="Kind"/> says why, the message says what.</summary>
public sealed class ServiceRegistryException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="kind">Why the operation failed.</param>
    /// <param name="message">What failed, naming the id or query involved.</param>
    public ServiceRegistryException(ServiceRegistryErrorKind kind, string message)
        : base(message)
    {
        Kind = kind;
    }

    /// <summary>Why the operation failed.</summary>
    public ServiceRegistryErrorKind Kind { get; }

    internal static ServiceRegistryException Invalid(string message) => new(ServiceRegistryErrorKind.Invalid, message);

    internal static ServiceRegistryException Denied(string message) => new(ServiceRegistryErrorKind.PermissionDenied, message);

    internal static ServiceRegistryException NotFound(string id) => new(ServiceRegistryErrorKind.NotFound, $"Service not found: {id}");
}
