using System.Runtime.InteropServices;

namespace Hypha.Protocol.Tests.Compression;

/// <summary>
/// The reference Snappy implementation, Google's libsnappy (Debian <c>libsnappy1v5</c>, installed by test.sh when
/// missing), through its C API and P/Invoke: what the Snappy codec's blocks are checked against.
/// </summary>
internal static class LibSnappy
{
    private const string Library = "libsnappy.so.1";

    // snappy-c.h's snappy_status.
    private const int Ok = 0;

    /// <summary><c>snappy_max_compressed_length</c>.</summary>
    public static int MaxCompressedLength(int length) => checked((int)NativeMaxCompressedLength((nuint)length));

    /// <summary><c>snappy_compress</c>: the block's length.</summary>
    public static int Compress(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        nuint length = (nuint)destination.Length;
        int status = NativeCompress(ref MemoryMarshal.GetReference(source), (nuint)source.Length, ref MemoryMarshal.GetReference(destination), ref length);
        return status == Ok ? (int)length : throw new InvalidOperationException($"snappy_compress failed with status {status}");
    }

    /// <summary><c>snappy_uncompress</c>: the bytes written, or -1 for a block it refuses.</summary>
    public static int Decompress(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        nuint length = (nuint)destination.Length;
        int status = NativeUncompress(ref MemoryMarshal.GetReference(source), (nuint)source.Length, ref MemoryMarshal.GetReference(destination), ref length);
        return status == Ok ? (int)length : -1;
    }

    [DllImport(Library, EntryPoint = "snappy_max_compressed_length")]
    private static extern nuint NativeMaxCompressedLength(nuint sourceLength);

    [DllImport(Library, EntryPoint = "snappy_compress")]
    private static extern int NativeCompress(ref byte input, nuint inputLength, ref byte compressed, ref nuint compressedLength);

    [DllImport(Library, EntryPoint = "snappy_uncompress")]
    private static extern int NativeUncompress(ref byte compressed, nuint compressedLength, ref byte uncompressed, ref nuint uncompressedLength);
}
