using Hypha.Protocol.Compression;
using Hypha.Protocol.Native;

namespace Hypha.Transport.Compression;

/// <summary>
/// Which codec, if any, one outgoing message is compressed with: the channel's setting (with "same host" from the
/// agreement), the size threshold, and the content of a sample, restricted to the codecs both sides announced.
/// A message flagged SHM_REF (a shared-memory reference) is never compressed.
/// </summary>
public sealed class CompressionPolicy
{
    private readonly int _threshold;
    private readonly bool[] _channels;
    private readonly ICompressionCodec? _text;
    private readonly ICompressionCodec? _binary;

    /// <summary>The policy of <paramref name="options"/> on a connection with <paramref name="agreement"/>.</summary>
    /// <exception cref="ArgumentException">The options are invalid (<see cref="CompressionOptions.Validate"/>).</exception>
    public CompressionPolicy(CompressionOptions options, NativeAgreement agreement)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(agreement);
        options.Validate();
        _threshold = Math.Max(1, options.Threshold);
        _channels = [.. Enum.GetValues<NativeChannel>().Order().Select(channel => options.For(channel) switch
        {
            ChannelCompression.On => true,
            ChannelCompression.CrossHostOnly => !agreement.SameHost,
            _ => false,
        })];
        _text = FirstAgreed(options.TextCodecs, agreement);
        _binary = FirstAgreed(options.BinaryCodecs, agreement);
    }

    /// <summary>True when this policy can compress anything at all on this connection.</summary>
    public bool IsActive => (_text is not null || _binary is not null) && _channels.Any(on => on);

    /// <summary>The codec for <paramref name="message"/> on <paramref name="channel"/>, or null to send it as it is.</summary>
    /// <param name="channel">The channel the message goes on.</param>
    /// <param name="message">The message.</param>
    /// <param name="flags">Its message-wide flags: a shared-memory reference is never compressed.</param>
    public ICompressionCodec? CodecFor(NativeChannel channel, ReadOnlySpan<byte> message, FrameFlags flags)
    {
        if (message.Length < _threshold || (flags & FrameFlags.SharedMemoryRef) != 0 || (uint)channel >= (uint)_channels.Length || !_channels[(int)channel])
        {
            return null;
        }

        return ContentSampler.Classify(message) switch
        {
            ContentKind.Text => _text,
            ContentKind.Binary => _binary,
            _ => null,
        };
    }

    private static ICompressionCodec? FirstAgreed(IReadOnlyList<string> preference, NativeAgreement agreement) =>
        preference.Where(agreement.Compression.Contains).Select(CompressionCodecs.Find).FirstOrDefault(codec => codec is not null);
}
