namespace Hypha.Protocol.Messages;

/// <summary>
/// A message that is valid msgpack but not a valid hypha message: <c>main</c> is not a map, a known
/// <c>_rtype</c> lacks a required field, a field has the wrong type.
/// </summary>
public sealed class HyphaProtocolException : Exception
{
    /// <summary>Creates the exception.</summary>
    public HyphaProtocolException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public HyphaProtocolException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
