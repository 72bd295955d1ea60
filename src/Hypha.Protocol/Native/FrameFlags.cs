namespace Hypha.Protocol.Native;

/// <summary>The flags byte of a native frame header (docs/wire-format.md §3.2).</summary>
[Flags]
public enum FrameFlags : byte
{
    /// <summary>No flag: a fragment that is not the last of its message.</summary>
    None = 0,

    /// <summary>The last fragment of a message.</summary>
    End = 0x01,

    /// <summary>The message is compressed with the codec in <see cref="CodecMask"/>.</summary>
    Compressed = 0x02,

    /// <summary>The two codec bits: 0 is LZ4 block, 1 is Snappy (meaningful only with <see cref="Compressed"/>).</summary>
    CodecMask = 0x0C,

    /// <summary>The payload is a reference to a shared-memory segment, not the message itself.</summary>
    SharedMemoryRef = 0x10,

    /// <summary>The message is in the schema-compiled binary form instead of msgpack.</summary>
    SchemaFormat = 0x20,

    /// <summary>Bits that no version of the protocol defines: a frame with any of them set is a protocol error.</summary>
    Reserved = 0xC0,
}
