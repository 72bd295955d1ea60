namespace Hypha.Protocol.Native;

/// <summary>
/// A peer broke the native wire protocol: a bad preface, an unknown channel or flag, a frame over the negotiated
/// maximum, a window violation, a truncated frame. The connection it arrived on is closed with
/// <see cref="Code"/> and the message; nothing else is affected.
/// </summary>
public sealed class NativeProtocolException : Exception
{
    /// <summary>Creates the exception.</summary>
    public NativeProtocolException(NativeErrorCode code, string message)
        : base(message)
    {
        Code = code;
    }

    /// <summary>Creates the exception with its cause.</summary>
    public NativeProtocolException(NativeErrorCode code, string message, Exception inner)
        : base(message, inner)
    {
        Code = code;
    }

    /// <summary>What kind of violation it was, as sent in the Error and GoAway control messages.</summary>
    public NativeErrorCode Code { get; }
}
