using System.Text;

namespace Hypha.Protocol.MsgPack;

/// <summary>
/// A fixed set of strings that a reader returns as shared instances instead of decoding new ones. A protocol's
/// keys and common values repeat in every message; handing out one instance each saves the decode and the
/// allocation. Lookup compares the raw UTF-8 bytes against the few entries of the same length.
/// </summary>
public sealed class MsgPackStringPool
{
    private readonly Entry[][] _byLength;

    /// <summary>Creates a pool of <paramref name="strings"/>; each must encode to at most <see cref="MaxByteLength"/> bytes.</summary>
    public MsgPackStringPool(IEnumerable<string> strings)
    {
        ArgumentNullException.ThrowIfNull(strings);
        var buckets = new List<Entry>[MaxByteLength + 1];
        foreach (string text in strings.Distinct(StringComparer.Ordinal))
        {
            byte[] utf8 = Encoding.UTF8.GetBytes(text);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(utf8.Length, MaxByteLength, nameof(strings));
            (buckets[utf8.Length] ??= []).Add(new Entry(utf8, text));
        }

        _byLength = Array.ConvertAll(buckets, bucket => bucket?.ToArray() ?? []);
    }

    /// <summary>The longest string, in UTF-8 bytes, a pool can hold.</summary>
    public const int MaxByteLength = 32;

    /// <summary>Finds the pooled instance of the text <paramref name="utf8"/> encodes.</summary>
    public bool TryGet(ReadOnlySpan<byte> utf8, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value)
    {
        if (utf8.Length <= MaxByteLength)
        {
            foreach (Entry entry in _byLength[utf8.Length])
            {
                if (utf8.SequenceEqual(entry.Utf8))
                {
                    value = entry.Text;
                    return true;
                }
            }
        }

        value = null;
        return false;
    }

    private readonly record struct Entry(byte[] Utf8, string Text);
}
