using System.Runtime.InteropServices;

namespace Hypha.Protocol.Tests.Compression;

/// <summary>
/// The reference LZ4 implementation, the system's liblz4 (Debian <c>liblz4-1</c>, installed by test.sh when missing),
/// called through P/Invoke. Shared with the bench's <c>lz4-native</c> case (linked into bench/Hypha.Bench).
/// </summary>
internal static class LibLz4
{
    private const string Library = "liblz4.so.1";

    /// <summary>liblz4's <c>LZ4_compressBound</c>.</summary>
    public static int CompressBound(int length) => NativeCompressBound(length);

    /// <summary><c>LZ4_compress_default</c>: the fast level; 0 when the block does not fit.</summary>
    public static int Compress(ReadOnlySpan<byte> source, Span<byte> destination) =>
        NativeCompress(ref MemoryMarshal.GetReference(source), ref MemoryMarshal.GetReference(destination), source.Length, destination.Length);

    /// <summary><c>LZ4_compress_HC</c> at <paramref name="level"/> (1 to 12): another parser, longer matches.</summary>
    public static int CompressHighCompression(ReadOnlySpan<byte> source, Span<byte> destination, int level) =>
        NativeCompressHc(ref MemoryMarshal.GetReference(source), ref MemoryMarshal.GetReference(destination), source.Length, destination.Length, level);

    /// <summary><c>LZ4_decompress_safe</c>: the bytes written, or a negative value for a malformed block.</summary>
    public static int Decompress(ReadOnlySpan<byte> source, Span<byte> destination) =>
        NativeDecompress(ref MemoryMarshal.GetReference(source), ref MemoryMarshal.GetReference(destination), source.Length, destination.Length);

    [DllImport(Library, EntryPoint = "LZ4_compressBound")]
    private static extern int NativeCompressBound(int inputSize);

    [DllImport(Library, EntryPoint = "LZ4_compress_default")]
    private static extern int NativeCompress(ref byte source, ref byte destination, int sourceSize, int destinationCapacity);

    [DllImport(Library, EntryPoint = "LZ4_compress_HC")]
    private static extern int NativeCompressHc(ref byte source, ref byte destination, int sourceSize, int destinationCapacity, int level);

    [DllImport(Library, EntryPoint = "LZ4_decompress_safe")]
    private static extern int NativeDecompress(ref byte source, ref byte destination, int compressedSize, int destinationCapacity);
}
