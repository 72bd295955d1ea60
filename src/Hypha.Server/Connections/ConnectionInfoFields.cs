using Hypha.Protocol.MsgPack;

namespace Hypha.Server.Connections;

/// <summary>What goes into a <c>connection_info</c> frame.</summary>
internal sealed record ConnectionInfoFields(
    string HyphaVersion,
    string PublicBaseUrl,
    string LocalBaseUrl,
    string ManagerId,
    string Workspace,
    string ClientId,
    MsgPackMap User,
    string ReconnectionToken,
    TimeSpan ReconnectionTokenLifetime);
