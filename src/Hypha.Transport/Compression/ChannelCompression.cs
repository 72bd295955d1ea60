namespace Hypha.Transport.Compression;

/// <summary>When the messages of one channel are compressed (docs/native-mode.md, "Compression").</summary>
public enum ChannelCompression
{
    /// <summary>Never: every message goes as it is.</summary>
    Off,

    /// <summary>Messages from the threshold up, by content, whenever the output shrinks.</summary>
    On,

    /// <summary>As <see cref="On"/>, but only when the peer runs on another host: on one host, bytes cost less than CPU.</summary>
    CrossHostOnly,
}
