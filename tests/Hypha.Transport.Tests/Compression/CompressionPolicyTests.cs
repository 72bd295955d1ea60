using Hypha.Protocol.Compression;
using Hypha.Protocol.Native;
using Hypha.Protocol.Tests.Compression;
using Hypha.Transport.Compression;

namespace Hypha.Transport.Tests.Compression;

public sealed class CompressionPolicyTests
{
    private static readonly NativeAgreement BothCodecsElsewhere = new(["lz4", "snappy"], SameHost: false);
    private static readonly byte[] Text = CompressionSamples.Text(20_000);

    [Fact]
    public void Compresses_from_the_threshold_up()
    {
        var policy = new CompressionPolicy(new CompressionOptions { Threshold = 2000 }, BothCodecsElsewhere);

        Assert.Null(policy.CodecFor(NativeChannel.Rpc, Text.AsSpan(0, 1999), FrameFlags.None));
        Assert.Same(CompressionCodecs.Lz4, policy.CodecFor(NativeChannel.Rpc, Text.AsSpan(0, 2000), FrameFlags.None));
    }

    [Fact]
    public void The_default_threshold_is_1_KiB()
    {
        var policy = new CompressionPolicy(new CompressionOptions(), BothCodecsElsewhere);

        Assert.Null(policy.CodecFor(NativeChannel.Rpc, Text.AsSpan(0, 1023), FrameFlags.None));
        Assert.NotNull(policy.CodecFor(NativeChannel.Rpc, Text.AsSpan(0, 1024), FrameFlags.None));
    }

    [Fact]
    public void Chooses_the_codec_by_content()
    {
        var options = new CompressionOptions { TextCodecs = ["snappy", "lz4"], BinaryCodecs = ["lz4", "snappy"] };
        var policy = new CompressionPolicy(options, BothCodecsElsewhere);

        Assert.Same(CompressionCodecs.Snappy, policy.CodecFor(NativeChannel.Rpc, CompressionSamples.Json(8000), FrameFlags.None));
        Assert.Same(CompressionCodecs.Lz4, policy.CodecFor(NativeChannel.Rpc, CompressionSamples.Numeric(8000), FrameFlags.None));
        Assert.Null(policy.CodecFor(NativeChannel.Rpc, CompressionSamples.Random(8000), FrameFlags.None));
    }

    [Fact]
    public void Uses_only_codecs_both_sides_announced()
    {
        var options = new CompressionOptions { TextCodecs = ["snappy", "lz4"], BinaryCodecs = ["snappy"] };
        var policy = new CompressionPolicy(options, new NativeAgreement(["lz4"], SameHost: false));

        Assert.Same(CompressionCodecs.Lz4, policy.CodecFor(NativeChannel.Rpc, Text, FrameFlags.None));
        Assert.Null(policy.CodecFor(NativeChannel.Rpc, CompressionSamples.Binary(8000), FrameFlags.None));
    }

    [Fact]
    public void Nothing_is_compressed_without_an_agreed_codec()
    {
        var policy = new CompressionPolicy(new CompressionOptions(), new NativeAgreement([], SameHost: false));

        Assert.False(policy.IsActive);
        Assert.Null(policy.CodecFor(NativeChannel.Rpc, Text, FrameFlags.None));
    }

    [Fact]
    public void Each_channel_has_its_own_setting()
    {
        var options = new CompressionOptions { Stream = ChannelCompression.Off, Rpc = ChannelCompression.On, Bulk = ChannelCompression.On };
        var policy = new CompressionPolicy(options, BothCodecsElsewhere);

        Assert.Null(policy.CodecFor(NativeChannel.Stream, Text, FrameFlags.None));
        Assert.NotNull(policy.CodecFor(NativeChannel.Rpc, Text, FrameFlags.None));
        Assert.NotNull(policy.CodecFor(NativeChannel.Bulk, Text, FrameFlags.None));
        Assert.Null(policy.CodecFor(NativeChannel.Control, Text, FrameFlags.None));
    }

    [Fact]
    public void Bulk_is_compressed_across_hosts_only_by_default()
    {
        var sameHost = new CompressionPolicy(new CompressionOptions(), new NativeAgreement(["lz4"], SameHost: true));
        var elsewhere = new CompressionPolicy(new CompressionOptions(), new NativeAgreement(["lz4"], SameHost: false));

        Assert.Null(sameHost.CodecFor(NativeChannel.Bulk, Text, FrameFlags.None));
        Assert.NotNull(sameHost.CodecFor(NativeChannel.Rpc, Text, FrameFlags.None));
        Assert.NotNull(elsewhere.CodecFor(NativeChannel.Bulk, Text, FrameFlags.None));
    }

    [Fact]
    public void A_shared_memory_reference_is_never_compressed()
    {
        var options = new CompressionOptions { Bulk = ChannelCompression.On };
        var policy = new CompressionPolicy(options, BothCodecsElsewhere);

        Assert.Null(policy.CodecFor(NativeChannel.Bulk, Text, FrameFlags.SharedMemoryRef));
        Assert.NotNull(policy.CodecFor(NativeChannel.Bulk, Text, FrameFlags.None));
    }

    [Fact]
    public void Unknown_codec_names_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new CompressionPolicy(new CompressionOptions { TextCodecs = ["zstd"] }, BothCodecsElsewhere));
        Assert.Throws<ArgumentException>(() => new NativeSettings { Compression = ["lz4", "brotli"] }.Validate());
    }
}
