namespace Hypha.Server.Handshake;

/// <summary>
/// A connection refused before it joined: the server sends <c>{"type":"error","message":Message}</c>, then closes
/// with <see cref="CloseCode"/>.
/// </summary>
internal sealed class HandshakeRejectedException : Exception
{
    /// <summary>Creates the rejection.</summary>
    public HandshakeRejectedException(int closeCode, string message)
        : base(message)
    {
        CloseCode = closeCode;
    }

    /// <summary>The WebSocket close code.</summary>
    public int CloseCode { get; }
}
