using System.Runtime.CompilerServices;
using Hypha.Bench.Harness;
using Hypha.Protocol.Compression;
using Hypha.Protocol.Tests.Compression;

namespace Hypha.Bench.Scenarios.Compress;

/// <summary>Our LZ4 compressor, into a buffer of the worst-case size.</summary>
internal readonly struct Lz4CompressOperation(byte[] source, byte[] destination) : IOperation
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    public long Invoke() => Lz4Block.Compress(source, destination);
}

/// <summary>Our LZ4 decompressor, into a buffer of the original size.</summary>
internal readonly struct Lz4DecompressOperation(byte[] block, byte[] destination) : IOperation
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    public long Invoke() => Lz4Block.Decompress(block, destination);
}

/// <summary>liblz4's <c>LZ4_compress_default</c> through P/Invoke.</summary>
internal readonly struct NativeLz4CompressOperation(byte[] source, byte[] destination) : IOperation
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    public long Invoke() => LibLz4.Compress(source, destination);
}

/// <summary>liblz4's <c>LZ4_decompress_safe</c> through P/Invoke.</summary>
internal readonly struct NativeLz4DecompressOperation(byte[] block, byte[] destination) : IOperation
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    public long Invoke() => LibLz4.Decompress(block, destination);
}

/// <summary>Snappy as the multiplexer uses it (Snappier, span to span).</summary>
internal readonly struct SnappyCompressOperation(byte[] source, byte[] destination) : IOperation
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    public long Invoke() => CompressionCodecs.Snappy.Compress(source, destination);
}

/// <summary>Snappy decompression as the multiplexer uses it (the preamble checked, then Snappier, span to span).</summary>
internal readonly struct SnappyDecompressOperation(byte[] block, byte[] destination) : IOperation
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    public long Invoke() => CompressionCodecs.Snappy.Decompress(block, destination);
}

/// <summary>libsnappy's <c>snappy_compress</c>, the reference.</summary>
internal readonly struct NativeSnappyCompressOperation(byte[] source, byte[] destination) : IOperation
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    public long Invoke() => LibSnappy.Compress(source, destination);
}

/// <summary>libsnappy's <c>snappy_uncompress</c>, the reference.</summary>
internal readonly struct NativeSnappyDecompressOperation(byte[] block, byte[] destination) : IOperation
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    public long Invoke() => LibSnappy.Decompress(block, destination);
}
