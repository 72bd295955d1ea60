namespace Hypha.Server.Routing;

/// <summary>What became of a message a client sent, as the connection that read it needs to know.</summary>
internal enum RouteResult
{
    /// <summary>Not a hypha message (no <c>to</c>): dropped, and counted against the client.</summary>
    Invalid,

    /// <summary>Routed, or answered with a reject; nothing holds the message any more, so its reader may reuse it.</summary>
    Done,

    /// <summary>Routed, and the message is still held (the workspace manager serves it): its reader must not reuse it.</summary>
    Kept,
}
