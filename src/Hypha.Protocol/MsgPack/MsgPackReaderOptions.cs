namespace Hypha.Protocol.MsgPack;

/// <summary>
/// Safety limits for reading msgpack from an untrusted peer. Every limit fails fast with a
/// <see cref="MsgPackException"/>, before anything is allocated for the offending value.
/// </summary>
public sealed record MsgPackReaderOptions
{
    /// <summary>The limits used when none are given: depth 64, 16 Mi entries per collection, 4 Mi entries in all,
    /// 256 MiB of input.</summary>
    public static MsgPackReaderOptions Default { get; } = new();

    /// <summary>
    /// The deepest nesting of arrays, maps and the values inside them. Bounded at 1,000 because
    /// readers recurse and must not exhaust the stack.
    /// </summary>
    public int MaxDepth
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 1_000);
            field = value;
        }
    } = 64;

    /// <summary>The largest element count of one array or pair count of one map.</summary>
    public int MaxCollectionLength
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            field = value;
        }
    } = 16 * 1024 * 1024;

    /// <summary>
    /// The most array elements and map pairs one reader accepts, summed over every collection it reads. A decoded
    /// element costs 24 to about 90 bytes of memory whatever its encoded size, so this bounds what a small input of
    /// many tiny elements can make a decoder allocate.
    /// </summary>
    public long MaxTotalEntries
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            field = value;
        }
    } = 4L * 1024 * 1024;

    /// <summary>Strings the reader returns as shared instances (a protocol's keys), or null to decode every string.</summary>
    public MsgPackStringPool? StringPool { get; init; }

    /// <summary>The largest input, in bytes, that a reader accepts at all (at most <see cref="int.MaxValue"/>, the
    /// largest string or binary value .NET can hold).</summary>
    public long MaxTotalSize
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, int.MaxValue);
            field = value;
        }
    } = 256L * 1024 * 1024;
}
