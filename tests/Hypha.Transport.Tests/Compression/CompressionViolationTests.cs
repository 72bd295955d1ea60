using System.Buffers.Binary;
using Hypha.Protocol.Compression;
using Hypha.Protocol.Native;
using Hypha.Protocol.Tests.Compression;
using Hypha.Transport.Multiplexing;

namespace Hypha.Transport.Tests.Compression;

/// <summary>
/// Compressed messages a peer must not send: each closes the connection with the Error frame of its code, and a
/// decompression bomb is refused from its declared length, before anything is decompressed.
/// </summary>
public sealed class CompressionViolationTests
{
    private const FrameFlags Lz4 = FrameFlags.Compressed | FrameFlags.End;
    private const FrameFlags Snappy = FrameFlags.Compressed | (FrameFlags)0x04 | FrameFlags.End;

    private static readonly byte[] Text = CompressionSamples.Text(5000);

    public static TheoryData<string, byte[], NativeErrorCode> Violations() => new()
    {
        { "codec bits without COMPRESSED", RawPeer.Frame(NativeChannel.Rpc, (FrameFlags)0x04 | FrameFlags.End, Payload(CompressionCodecs.Snappy, Text)), NativeErrorCode.ProtocolError },
        { "a reserved codec", RawPeer.Frame(NativeChannel.Rpc, FrameFlags.Compressed | (FrameFlags)0x08 | FrameFlags.End, Payload(CompressionCodecs.Lz4, Text)), NativeErrorCode.ProtocolError },
        { "shorter than its length", RawPeer.Frame(NativeChannel.Rpc, Lz4, [1, 2, 3]), NativeErrorCode.ProtocolError },
        { "a malformed block", RawPeer.Frame(NativeChannel.Rpc, Lz4, [0x10, 0, 0, 0, 0x1F, (byte)'a', 0x09, 0x00, 0x00]), NativeErrorCode.ProtocolError },
        { "a block longer than declared", RawPeer.Frame(NativeChannel.Rpc, Lz4, WithDeclaredLength(Payload(CompressionCodecs.Lz4, Text), Text.Length - 1)), NativeErrorCode.ProtocolError },
        { "a block shorter than declared", RawPeer.Frame(NativeChannel.Rpc, Lz4, WithDeclaredLength(Payload(CompressionCodecs.Lz4, Text), Text.Length + 1)), NativeErrorCode.ProtocolError },
        { "a malformed Snappy block", RawPeer.Frame(NativeChannel.Stream, Snappy, [0x20, 0, 0, 0, 0x20, 0x0A, 0xFF, 0xFF]), NativeErrorCode.ProtocolError },
        { "a bomb over the message limit", RawPeer.Frame(NativeChannel.Bulk, Lz4, WithDeclaredLength(Payload(CompressionCodecs.Lz4, Text), 64 * 1024 * 1024 + 1)), NativeErrorCode.FrameTooLarge },
        { "an rpc message over a frame once decompressed", RawPeer.Frame(NativeChannel.Rpc, Lz4, Payload(CompressionCodecs.Lz4, new byte[70_000])), NativeErrorCode.FrameTooLarge },
    };

    [Theory]
    [MemberData(nameof(Violations))]
    public async Task A_bad_compressed_message_closes_the_connection_with_an_error_frame(string name, byte[] frame, NativeErrorCode expected)
    {
        int delivered = 0;
        await using var peer = new RawPeer(remote: new NativeSettings(), handler: _ => { Interlocked.Increment(ref delivered); return ValueTask.CompletedTask; });

        await peer.WriteAsync(frame);

        CloseReason reason = await peer.ClosedAsync();
        Assert.True(expected == reason.Code, $"{name}: {reason.Code} ({reason.Message})");
        (NativeErrorCode code, string text) = await peer.ReadErrorAsync();
        Assert.Equal(expected, code);
        Assert.Equal(reason.Message, text);
        Assert.Equal(0, delivered);
    }

    [Theory]
    [InlineData("compression not negotiated", new string[0], "snappy")]
    [InlineData("a codec only this side announced", new[] { "lz4" }, "snappy")]
    [InlineData("a codec only this side announced", new[] { "snappy" }, "lz4")]
    public async Task A_codec_outside_the_agreement_is_a_protocol_error(string what, string[] peerCodecs, string codecName)
    {
        await using var peer = new RawPeer(remote: new NativeSettings { Compression = peerCodecs });
        ICompressionCodec codec = CompressionCodecs.Find(codecName)!;

        await peer.WriteAsync(RawPeer.Frame(NativeChannel.Rpc, CompressedMessage.FlagsFor(codec) | FrameFlags.End, Payload(codec, Text)));

        CloseReason reason = await peer.ClosedAsync();
        Assert.True(reason.Code == NativeErrorCode.ProtocolError, $"{what}: {reason.Code} ({reason.Message})");
        Assert.Contains("not negotiated", reason.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bomb_of_a_megabyte_and_more_on_the_wire_is_refused_by_its_join()
    {
        // 1.5 MiB of random bytes compressed (no smaller) in 64 KiB fragments: a message joined off the reader, whose
        // join checks the declared length. The small message before it is still delivered.
        var received = new List<byte[]>();
        await using var peer = new RawPeer(remote: new NativeSettings(), handler: message => { lock (received) { received.Add(message.Payload.ToArray()); } return ValueTask.CompletedTask; });
        byte[] random = new byte[1536 * 1024];
        new Random(5).NextBytes(random);
        byte[] bomb = WithDeclaredLength(Payload(CompressionCodecs.Lz4, random), -1);
        Assert.True(bomb.Length >= 1024 * 1024, $"the bomb is {bomb.Length} bytes on the wire");
        var frames = new List<byte[]> { RawPeer.Frame(NativeChannel.Bulk, Lz4, Payload(CompressionCodecs.Lz4, Text)) };
        for (int offset = 0; offset < bomb.Length; offset += NativeSettings.DefaultFrame)
        {
            int length = Math.Min(NativeSettings.DefaultFrame, bomb.Length - offset);
            frames.Add(RawPeer.Frame(NativeChannel.Bulk, offset + length == bomb.Length ? Lz4 : FrameFlags.Compressed, bomb.AsSpan(offset, length)));
        }

        await peer.WriteAsync([.. frames]);

        CloseReason reason = await peer.ClosedAsync();
        Assert.Equal(NativeErrorCode.FrameTooLarge, reason.Code);
        Assert.Contains("declares 4294967295 bytes", reason.Message, StringComparison.Ordinal);
        lock (received)
        {
            Assert.Equal([Text], received);
        }
    }

    [Fact]
    public async Task A_bomb_is_refused_before_its_fragments_are_decompressed()
    {
        // A 4 GiB - 1 declared length on a bulk message of two fragments: refused as soon as the message is whole,
        // with the limit in the reason; a message before it is delivered intact.
        var received = new List<byte[]>();
        await using var peer = new RawPeer(remote: new NativeSettings(), handler: message => { lock (received) { received.Add(message.Payload.ToArray()); } return ValueTask.CompletedTask; });
        byte[] good = Payload(CompressionCodecs.Lz4, Text);
        byte[] bomb = WithDeclaredLength(Payload(CompressionCodecs.Lz4, new byte[200_000]), -1);

        await peer.WriteAsync(
            RawPeer.Frame(NativeChannel.Bulk, Lz4, good),
            RawPeer.Frame(NativeChannel.Bulk, FrameFlags.Compressed, bomb.AsSpan(0, 100)),
            RawPeer.Frame(NativeChannel.Bulk, Lz4, bomb.AsSpan(100)));

        CloseReason reason = await peer.ClosedAsync();
        Assert.Equal(NativeErrorCode.FrameTooLarge, reason.Code);
        Assert.Contains("declares 4294967295 bytes", reason.Message, StringComparison.Ordinal);
        lock (received)
        {
            Assert.Equal([Text], received);
        }
    }

    [Fact]
    public async Task Fuzzed_compressed_messages_only_ever_deliver_intact_or_close_the_connection()
    {
        var random = new Random(77);
        byte[] original = CompressionSamples.Json(3000);
        byte[] seed = Payload(CompressionCodecs.Lz4, original);
        for (int i = 0; i < 300; i++)
        {
            byte[] mutated = (byte[])seed.Clone();
            for (int m = random.Next(1, 4); m > 0; m--)
            {
                mutated[random.Next(mutated.Length)] = (byte)random.Next(256);
            }

            var delivered = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
            await using var peer = new RawPeer(remote: new NativeSettings(), handler: message => { delivered.TrySetResult(message.Payload.ToArray()); return ValueTask.CompletedTask; });
            await peer.WriteAsync(RawPeer.Frame(NativeChannel.Rpc, Lz4, mutated));

            Task finished = await Task.WhenAny(delivered.Task, peer.ClosedAsync());
            if (finished == delivered.Task)
            {
                // A mutation the codec cannot detect (a changed literal) still yields a message of the declared length.
                Assert.Equal(BinaryPrimitives.ReadUInt32LittleEndian(mutated), (uint)(await delivered.Task).Length);
            }
            else
            {
                Assert.Contains((await peer.ClosedAsync()).Code, new[] { NativeErrorCode.ProtocolError, NativeErrorCode.FrameTooLarge });
            }
        }
    }

    private static byte[] Payload(ICompressionCodec codec, byte[] message)
    {
        byte[] payload = new byte[CompressedMessage.HeaderSize + codec.MaxCompressedLength(message.Length)];
        int block = codec.Compress(message, payload.AsSpan(CompressedMessage.HeaderSize));
        BinaryPrimitives.WriteInt32LittleEndian(payload, message.Length);
        return payload[..(CompressedMessage.HeaderSize + block)];
    }

    private static byte[] WithDeclaredLength(byte[] payload, int declared)
    {
        byte[] copy = (byte[])payload.Clone();
        BinaryPrimitives.WriteInt32LittleEndian(copy, declared);
        return copy;
    }
}
