using Hypha.Protocol.MsgPack;

namespace Hypha.Client;

/// <summary>A service registered with the server.</summary>
/// <param name="Id">The full id other peers use to get it: <c>ws/client:svc</c>.</param>
/// <param name="Info">The ServiceInfo sent to the manager.</param>
public sealed record ServiceRegistration(string Id, MsgPackMap Info);
