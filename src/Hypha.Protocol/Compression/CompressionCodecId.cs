namespace Hypha.Protocol.Compression;

/// <summary>The codec bits of a compressed frame (docs/wire-format.md §3.2): bits 2–3 of the flags byte.</summary>
public enum CompressionCodecId : byte
{
    /// <summary>The LZ4 block format.</summary>
    Lz4 = 0,

    /// <summary>The Snappy block format.</summary>
    Snappy = 1,
}
