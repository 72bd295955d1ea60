namespace Hypha.Protocol.MsgPack;

/// <summary>The outcome of a <c>MsgPackPrimitives.TryRead*</c> call.</summary>
public enum MsgPackReadStatus : byte
{
    /// <summary>The value was read.</summary>
    Success,
    /// <summary>The span ends before the value does; nothing was consumed.</summary>
    NeedMoreData,
    /// <summary>The next value is of another type than the one asked for.</summary>
    TypeMismatch,
    /// <summary>The value is of the right family but does not fit the requested type (for example uint64 into long).</summary>
    Overflow,
    /// <summary>The value is of the requested family but breaks the specification (a timestamp of a bad length, say).</summary>
    Invalid,
}
