namespace Hypha.Protocol.Objects;

/// <summary>
/// Boxes of the small integers, made once. Dynamic decoding turns every number into an object; most are small (counts,
/// indexes, flags, typical arguments), and each box would be an allocation per value decoded.
/// </summary>
public static class BoxedIntegers
{
    private const int Lowest = -256;
    private const int Highest = 1023;

    private static readonly object[] Longs = Make(static value => (long)value);
    private static readonly object[] Ints = Make(static value => value);

    /// <summary>A boxed <see cref="long"/>: shared for small values, new for the others.</summary>
    public static object Box(long value) => value is >= Lowest and <= Highest ? Longs[value - Lowest] : value;

    /// <summary>A boxed <see cref="int"/>: shared for small values, new for the others.</summary>
    public static object Box(int value) => value is >= Lowest and <= Highest ? Ints[value - Lowest] : value;

    private static object[] Make(Func<int, object> box)
    {
        var boxes = new object[Highest - Lowest + 1];
        for (int i = 0; i < boxes.Length; i++)
        {
            boxes[i] = box(i + Lowest);
        }

        return boxes;
    }
}
