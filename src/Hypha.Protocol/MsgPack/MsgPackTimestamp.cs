namespace Hypha.Protocol.MsgPack;

/// <summary>
/// The msgpack timestamp extension (type -1): seconds since the Unix epoch and a nanosecond fraction.
/// It covers a wider range than <see cref="DateTime"/>, so decoding never fails; only converting may.
/// </summary>
public readonly record struct MsgPackTimestamp
{
    /// <summary>The number of nanoseconds in one second; <see cref="Nanoseconds"/> is always below it.</summary>
    public const uint NanosecondsPerSecond = 1_000_000_000;

    /// <summary>Creates a timestamp.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="nanoseconds"/> is one second or more.</exception>
    public MsgPackTimestamp(long seconds, uint nanoseconds)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(nanoseconds, NanosecondsPerSecond);
        Seconds = seconds;
        Nanoseconds = nanoseconds;
    }

    /// <summary>Whole seconds since 1970-01-01T00:00:00Z (negative before it).</summary>
    public long Seconds { get; }

    /// <summary>The fraction of the second, in nanoseconds (0 to 999,999,999).</summary>
    public uint Nanoseconds { get; }

    /// <summary>
    /// Converts a <see cref="DateTime"/>. A local time is converted to UTC; an unspecified one is taken as UTC
    /// already, so that the result never depends on the machine's time zone.
    /// </summary>
    public static MsgPackTimestamp FromDateTime(DateTime value)
    {
        DateTime utc = value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : value;
        long ticks = utc.Ticks - DateTime.UnixEpoch.Ticks;
        long seconds = Math.DivRem(ticks, TimeSpan.TicksPerSecond, out long remainder);
        if (remainder < 0)
        {
            seconds--;
            remainder += TimeSpan.TicksPerSecond;
        }
        return new MsgPackTimestamp(seconds, (uint)(remainder * TimeSpan.NanosecondsPerTick));
    }

    /// <summary>Converts to a UTC <see cref="DateTime"/>, truncating to its 100 ns resolution.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The timestamp lies outside the range of <see cref="DateTime"/>.</exception>
    public DateTime ToDateTime()
    {
        const long MinSeconds = -62_135_596_800; // 0001-01-01
        const long MaxSeconds = 253_402_300_799; // 9999-12-31T23:59:59
        if (Seconds is < MinSeconds or > MaxSeconds)
        {
            throw new ArgumentOutOfRangeException(nameof(Seconds), Seconds, "The timestamp is outside the range of DateTime.");
        }
        long ticks = DateTime.UnixEpoch.Ticks + Seconds * TimeSpan.TicksPerSecond + Nanoseconds / TimeSpan.NanosecondsPerTick;
        return new DateTime(ticks, DateTimeKind.Utc);
    }

    /// <inheritdoc />
    public override string ToString() => $"{Seconds}.{Nanoseconds:D9}s";
}
