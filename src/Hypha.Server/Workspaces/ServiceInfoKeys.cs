namespace Hypha.Server.Workspaces;

/// <summary>The ServiceInfo keys the registry reads or writes (hypha-protocol.md 4.1).</summary>
internal static class ServiceInfoKeys
{
    public const string Id = "id";
    public const string Name = "name";
    public const string Type = "type";
    public const string AppId = "app_id";
    public const string Config = "config";
    public const string Visibility = "visibility";
    public const string Workspace = "workspace";
    public const string AuthorizedWorkspaces = "authorized_workspaces";
    public const string Singleton = "singleton";
    public const string LocalOnly = "_local_only";
    public const string CreatedBy = "created_by";

    /// <summary>The service name of the per-client service every peer registers first (hypha-protocol.md 4.2).</summary>
    public const string BuiltInService = "built-in";

    /// <summary>The prefix of hypha-rpc's interface-callback services, which live only in the client.</summary>
    public const string InterfaceServicePrefix = "_rintf_";

    /// <summary>The type a ServiceInfo without one has (hypha's model default).</summary>
    public const string DefaultType = "generic";
}
