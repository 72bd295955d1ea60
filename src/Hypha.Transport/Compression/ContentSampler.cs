namespace Hypha.Transport.Compression;

/// <summary>
/// A cheap test of what a message holds, from at most 1 KiB of it: up to four windows of 256 bytes spread over the
/// message. A window whose byte entropy is at least <see cref="RandomEntropy"/> looks random (compressed or
/// encrypted data), and a message most of whose windows look random is taken for already compressed, so a small
/// text header in front of a large compressed blob does not hide it. The share of printable ASCII over all windows
/// tells text from binary. Measured per 256-byte window (docs/native-mode.md): random, gzip and xz output 6.99 to
/// 7.32 bits per byte; random float64 and float32 arrays 6.23 to 6.89; LZ4 output 5.0 to 6.4; prose about 4.6.
/// A wrong guess costs little either way: one compression attempt that does not shrink, or a few percent not saved.
/// </summary>
public static class ContentSampler
{
    /// <summary>At or above this many bits per byte, a 256-byte window looks random.</summary>
    public const double RandomEntropy = 6.95;

    /// <summary>At or above this share of printable ASCII (and tab, CR, LF), the sample is text.</summary>
    public const double TextShare = 0.9;

    private const int Window = 256;
    private const int MaxWindows = 4;

    // c * log2(c) for every count a window can give a byte value: the entropy needs no logarithm per call.
    private static readonly double[] CountLog = [.. Enumerable.Range(0, Window + 1).Select(c => c == 0 ? 0 : c * Math.Log2(c))];

    /// <summary>Classifies <paramref name="message"/> from its sample.</summary>
    public static ContentKind Classify(ReadOnlySpan<byte> message)
    {
        if (message.Length < Window)
        {
            return PrintableCount(message) >= TextShare * message.Length && !message.IsEmpty ? ContentKind.Text : ContentKind.Binary;
        }

        int windows = Math.Min(MaxWindows, message.Length / Window);
        int step = windows == 1 ? 0 : (message.Length - Window) / (windows - 1);
        Span<int> counts = stackalloc int[256];
        int random = 0;
        int printable = 0;
        for (int i = 0; i < windows; i++)
        {
            ReadOnlySpan<byte> window = message.Slice(i * step, Window);
            counts.Clear();
            foreach (byte value in window)
            {
                counts[value]++;
            }

            double sum = 0;
            foreach (int count in counts)
            {
                sum += CountLog[count];
            }

            if (Math.Log2(Window) - (sum / Window) >= RandomEntropy)
            {
                random++;
            }

            printable += PrintableCount(window);
        }

        return 2 * random > windows ? ContentKind.Compressed
            : printable >= TextShare * windows * Window ? ContentKind.Text
            : ContentKind.Binary;
    }

    private static int PrintableCount(ReadOnlySpan<byte> bytes)
    {
        int printable = 0;
        foreach (byte value in bytes)
        {
            if (value is (>= 0x20 and < 0x7F) or (byte)'\t' or (byte)'\n' or (byte)'\r')
            {
                printable++;
            }
        }

        return printable;
    }
}
