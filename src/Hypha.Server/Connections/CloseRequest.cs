namespace Hypha.Server.Connections;

/// <summary>Why and how a connection is closing.</summary>
/// <param name="Code">The WebSocket close code (<see cref="CloseCodes"/>), the server's vocabulary for why a
/// connection closes; a transport without close codes translates it.</param>
/// <param name="Reason">The close reason.</param>
/// <param name="SendErrorFrame">True when the server closes for an error and announces it first (a WebSocket gets
/// <c>{"type":"error","message":Reason}</c>); false when it answers the client's own close or goes away.</param>
internal sealed record CloseRequest(int Code, string Reason, bool SendErrorFrame);
