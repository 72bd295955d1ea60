namespace Hypha.Transport.Compression;

/// <summary>What a message's sample looks like (<see cref="ContentSampler"/>).</summary>
public enum ContentKind
{
    /// <summary>Mostly printable ASCII: prose, JSON, source, logs.</summary>
    Text,

    /// <summary>Anything else that may compress: records, numeric arrays, msgpack.</summary>
    Binary,

    /// <summary>Near-random bytes: compressed, encrypted or media data, which no block codec shrinks.</summary>
    Compressed,
}
