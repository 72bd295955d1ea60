namespace Hypha.Protocol.Native;

/// <summary>The 8 bytes each side sends first: ASCII <c>HYPH</c>, major, minor, two reserved (docs/wire-format.md §2).</summary>
public static class NativePreface
{
    /// <summary>The preface's size in bytes.</summary>
    public const int Size = 8;

    /// <summary>The major version this implementation speaks.</summary>
    public const byte Major = 1;

    /// <summary>The minor version this implementation speaks.</summary>
    public const byte Minor = 0;

    /// <summary>The four bytes that mark a native connection.</summary>
    public static ReadOnlySpan<byte> Magic => "HYPH"u8;

    /// <summary>Writes this implementation's preface.</summary>
    public static void Write(Span<byte> destination)
    {
        Magic.CopyTo(destination);
        destination[4] = Major;
        destination[5] = Minor;
        destination[6] = 0;
        destination[7] = 0;
    }

    /// <summary>This implementation's preface as a new array.</summary>
    public static byte[] Create()
    {
        byte[] preface = new byte[Size];
        Write(preface);
        return preface;
    }

    /// <summary>
    /// Tells whether a connection's first bytes start a native preface. Needs only as many bytes as have arrived,
    /// up to four: a prefix that could still become <c>HYPH</c> answers true.
    /// </summary>
    public static bool CouldBeNative(ReadOnlySpan<byte> firstBytes) =>
        Magic[..Math.Min(firstBytes.Length, Magic.Length)].SequenceEqual(firstBytes[..Math.Min(firstBytes.Length, Magic.Length)]);

    /// <summary>Reads a whole preface and returns the peer's version.</summary>
    /// <exception cref="NativeProtocolException">Not a native preface, or a major version this side does not speak.</exception>
    public static (byte Major, byte Minor) Read(ReadOnlySpan<byte> source)
    {
        if (source.Length < Size || !source[..Magic.Length].SequenceEqual(Magic))
        {
            throw new NativeProtocolException(NativeErrorCode.ProtocolError, "The connection did not start with the HYPH preface");
        }

        if (source[4] != Major)
        {
            throw new NativeProtocolException(
                NativeErrorCode.UnsupportedVersion, $"Protocol version {source[4]}.{source[5]} is not supported; this side speaks {Major}.{Minor}");
        }

        return (source[4], source[5]);
    }
}
