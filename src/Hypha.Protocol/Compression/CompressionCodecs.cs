namespace Hypha.Protocol.Compression;

/// <summary>The codecs this implementation speaks, by the names of the Hello and by the codec bits of a frame.</summary>
public static class CompressionCodecs
{
    /// <summary>The managed LZ4 block codec.</summary>
    public static ICompressionCodec Lz4 { get; } = new Lz4Codec();

    /// <summary>Snappy, through Snappier.</summary>
    public static ICompressionCodec Snappy { get; } = new SnappyCodec();

    /// <summary>Every codec, in this side's order of preference (what a Hello offers by default).</summary>
    public static IReadOnlyList<ICompressionCodec> All { get; } = [Lz4, Snappy];

    /// <summary>The names of <see cref="All"/>, in the same order.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. All.Select(codec => codec.Name)];

    /// <summary>The codec announced as <paramref name="name"/>, or null for a name this side does not know.</summary>
    public static ICompressionCodec? Find(string name) => All.FirstOrDefault(codec => codec.Name == name);

    /// <summary>The codec of the codec bits <paramref name="id"/>, or null for a reserved value.</summary>
    public static ICompressionCodec? Find(CompressionCodecId id) => All.FirstOrDefault(codec => codec.Id == id);
}
