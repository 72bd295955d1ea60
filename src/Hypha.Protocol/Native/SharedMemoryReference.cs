namespace Hypha.Protocol.Native;

/// <summary>
/// Where one payload of a SHM_REF message lies (docs/wire-format.md §9.2): a region of a segment file in the agreed
/// directory, and the generation the segment's header must show while the region holds this payload.
/// </summary>
/// <param name="Segment">The segment's file name in the shared-memory directory.</param>
/// <param name="Offset">Where the payload starts in the file; at least <see cref="HeaderSize"/>.</param>
/// <param name="Length">The payload's bytes, 1 to <see cref="int.MaxValue"/>.</param>
/// <param name="Generation">The segment's use count when the payload was written: a stale reference shows another.</param>
public readonly record struct SharedMemoryReference(string Segment, long Offset, int Length, ulong Generation)
{
    /// <summary>The segment header in front of every segment's data, one page.</summary>
    public const int HeaderSize = 4096;

    /// <summary>The longest segment name.</summary>
    public const int MaxNameLength = 255;

    /// <summary>
    /// True for a plain file name: 1 to 255 of <c>A-Z a-z 0-9 . _ -</c>, not starting with a dot, so a reference can
    /// never point outside the directory.
    /// </summary>
    public static bool IsSegmentName(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > MaxNameLength || name[0] == '.')
        {
            return false;
        }

        foreach (char c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
            {
                return false;
            }
        }

        return true;
    }
}
