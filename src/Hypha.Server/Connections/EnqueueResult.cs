namespace Hypha.Server.Connections;

/// <summary>What became of a frame handed to a connection's send queue.</summary>
internal enum EnqueueResult
{
    /// <summary>Queued; it will be sent unless the connection closes first.</summary>
    Accepted,

    /// <summary>The queue stayed full for the whole wait: the client is too slow.</summary>
    Full,

    /// <summary>The connection is closing or closed.</summary>
    Closed,
}
