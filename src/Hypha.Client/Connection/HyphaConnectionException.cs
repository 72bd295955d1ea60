namespace Hypha.Client.Connection;

/// <summary>The server refused the connection, or it failed during the handshake.</summary>
public sealed class HyphaConnectionException : Exception
{
    /// <summary>Creates the exception.</summary>
    public HyphaConnectionException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public HyphaConnectionException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
