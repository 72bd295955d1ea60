namespace Hypha.Protocol.MsgPack;

/// <summary>
/// Thrown for every malformed, truncated or over-limit msgpack input. <see cref="Offset"/> is the position in the
/// input where the offending value starts, so that a bad frame can be reported precisely.
/// </summary>
public sealed class MsgPackException : Exception
{
    /// <summary>Creates the exception for a problem at <paramref name="offset"/>.</summary>
    public MsgPackException(string message, long offset)
        : base($"{message} (at byte offset {offset})")
    {
        Offset = offset;
    }

    /// <summary>Creates the exception for a problem at <paramref name="offset"/>, caused by <paramref name="inner"/>.</summary>
    public MsgPackException(string message, long offset, Exception inner)
        : base($"{message} (at byte offset {offset})", inner)
    {
        Offset = offset;
    }

    /// <summary>The byte offset in the input where the offending value starts.</summary>
    public long Offset { get; }
}
