using Hypha.Protocol.Native;

namespace Hypha.Transport.Multiplexing;

/// <summary>A message could not be sent because its native connection closed, with the reason it closed.</summary>
public sealed class MultiplexerClosedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public MultiplexerClosedException(NativeErrorCode code, string message)
        : base(message)
    {
        Code = code;
    }

    /// <summary>Why the connection closed.</summary>
    public NativeErrorCode Code { get; }
}
