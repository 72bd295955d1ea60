using Hypha.Protocol.Compression;
using Hypha.Protocol.Native;

namespace Hypha.Transport.Compression;

/// <summary>
/// When this side compresses the messages it sends (docs/native-mode.md, "Compression"). What it can decode, and so
/// what the peer may send it, is the <see cref="NativeSettings.Compression"/> list of its Hello; a message is
/// compressed only with a codec both sides announced.
/// </summary>
public sealed record CompressionOptions
{
    /// <summary>Messages smaller than this are sent as they are (default 1 KiB): too small to be worth the CPU.</summary>
    public int Threshold { get; init; } = 1024;

    /// <summary>The stream channel (generator items): on by default.</summary>
    public ChannelCompression Stream { get; init; } = ChannelCompression.On;

    /// <summary>The rpc channel (calls and answers): on by default.</summary>
    public ChannelCompression Rpc { get; init; } = ChannelCompression.On;

    /// <summary>The bulk channel (large messages): only towards another host by default.</summary>
    public ChannelCompression Bulk { get; init; } = ChannelCompression.CrossHostOnly;

    /// <summary>The codecs to try for text, in order; the first one both sides announced is used.</summary>
    public IReadOnlyList<string> TextCodecs { get; init; } = CompressionCodecs.Names;

    /// <summary>The codecs to try for binary data, in order; the first one both sides announced is used.</summary>
    public IReadOnlyList<string> BinaryCodecs { get; init; } = CompressionCodecs.Names;

    /// <summary>Compression off on every channel.</summary>
    public static CompressionOptions Disabled { get; } = new()
    {
        Stream = ChannelCompression.Off,
        Rpc = ChannelCompression.Off,
        Bulk = ChannelCompression.Off,
    };

    /// <summary>The setting of <paramref name="channel"/>; the control channel is never compressed.</summary>
    public ChannelCompression For(NativeChannel channel) => channel switch
    {
        NativeChannel.Stream => Stream,
        NativeChannel.Rpc => Rpc,
        NativeChannel.Bulk => Bulk,
        _ => ChannelCompression.Off,
    };

    /// <summary>Checks the values.</summary>
    /// <exception cref="ArgumentException">A negative threshold or a codec name this implementation does not know.</exception>
    public void Validate()
    {
        if (Threshold < 0)
        {
            throw new ArgumentException("The compression threshold cannot be negative.");
        }

        foreach (string name in TextCodecs.Concat(BinaryCodecs))
        {
            if (CompressionCodecs.Find(name) is null)
            {
                throw new ArgumentException($"Unknown compression codec '{name}'; known: {string.Join(", ", CompressionCodecs.Names)}.");
            }
        }
    }
}
