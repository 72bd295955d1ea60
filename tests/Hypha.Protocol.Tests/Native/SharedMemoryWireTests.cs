using System.Buffers;
using Hypha.Protocol.Messages;
using Hypha.Protocol.MsgPack;
using Hypha.Protocol.Native;

namespace Hypha.Protocol.Tests.Native;

public sealed class SharedMemoryWireTests
{
    private static readonly SharedMemoryOffer Offer = new("/dev/shm", 1000, "hypha-shm.1.2.abc", 1 << 30, "hypha-shm.1.2.abc.probe", "00ff");

    [Fact]
    public void A_reference_message_round_trips()
    {
        SharedMemoryReference[] references = [new("hypha-shm.1.2.abc.1", 4096, 3 << 20, 7), new("hypha-shm.9.9.def.12", 8192, 1, ulong.MaxValue)];

        byte[] body = SharedMemoryMessage.Encode("head"u8, references);
        (ReadOnlyMemory<byte> head, SharedMemoryReference[] decoded) = SharedMemoryMessage.Decode(body);

        Assert.Equal("head"u8.ToArray(), head.ToArray());
        Assert.Equal(references, decoded);
    }

    public static TheoryData<string, byte[]> Malformed => new()
    {
        { "empty", [] },
        { "head past the end", [9, 0, 0, 0, 1, 0] },
        { "no reference", [0, 0, 0, 0, 0, 0] },
        { "truncated reference", [0, 0, 0, 0, 1, 0, 3, (byte)'a', (byte)'b'] },
        { "trailing bytes", [.. SharedMemoryMessage.Encode([], [new("s.1", 4096, 1, 1)]), 0] },
        { "a name with a slash", Reference("../etc", 4096, 1) },
        { "a name starting with a dot", Reference(".hidden", 4096, 1) },
        { "an offset inside the header", Reference("s.1", 100, 1) },
        { "a zero length", Reference("s.1", 4096, 0) },
        { "a length over 2^31-1", Reference("s.1", 4096, 1L << 31) },
        { "an offset that overflows", Reference("s.1", long.MaxValue, 10) },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void A_malformed_reference_message_is_a_protocol_error(string name, byte[] body)
    {
        var error = Assert.Throws<NativeProtocolException>(() => SharedMemoryMessage.Decode(body));
        Assert.True(error.Code == NativeErrorCode.ProtocolError, name);
    }

    [Fact]
    public void Large_values_are_lifted_out_of_a_frame_and_splicing_gives_the_frame_back()
    {
        byte[] big = Bytes(5000, 1);
        byte[] bigger = Bytes(9000, 2);
        MsgPackMap main = HyphaEnvelope.CreateCall("ws/a", "ws/b", "services.s.f", "sess").Main;
        var extra = new MsgPackMap
        {
            { "args", new MsgPackValue[] { 1, big, "text", new MsgPackMap { { "nested", bigger }, { "small", new byte[10] } } } },
            { "promise", "*" },
        };
        byte[] whole = Frame(main, extra);

        Assert.True(FrameAttachments.TryLift(extra, 4096, out MsgPackValue lifted, out IReadOnlyList<ReadOnlyMemory<byte>> payloads));
        MsgPackMap head = lifted.AsMap();

        Assert.Equal(2, payloads.Count);
        Assert.Equal(big, payloads[0].ToArray());
        Assert.Equal(bigger, payloads[1].ToArray());
        byte[] headBytes = Frame(main, head);
        Assert.True(headBytes.Length < 200);
        Assert.Equal(whole, FrameAttachments.Splice(headBytes, payloads));
        Assert.Equal(extra, FrameAttachments.Resolve(HyphaFrame.Decode(headBytes).DecodeExtra()!, payloads).AsMap());
        Assert.Equal(10, extra["args"].AsArray()[3]["small"].AsBinary().Length); // the original is untouched
    }

    [Fact]
    public void Nothing_is_lifted_below_the_threshold_or_when_the_frame_holds_a_placeholder_type_of_its_own()
    {
        var small = new MsgPackMap { { "args", new MsgPackValue[] { new byte[100] } } };
        Assert.False(FrameAttachments.TryLift(small, 4096, out MsgPackValue same, out _));
        Assert.Same(small, same.AsMap());

        var clash = new MsgPackMap { { "args", new MsgPackValue[] { new byte[5000], MsgPackValue.Extension(FrameAttachments.PlaceholderType, [0, 0, 0, 0]) } } };
        Assert.False(FrameAttachments.TryLift(clash, 4096, out _, out IReadOnlyList<ReadOnlyMemory<byte>> none));
        Assert.Empty(none);
    }

    [Fact]
    public void Placeholders_must_name_each_attachment_exactly_once()
    {
        MsgPackValue placeholder = MsgPackValue.Extension(FrameAttachments.PlaceholderType, [0, 0, 0, 0]);
        ReadOnlyMemory<byte>[] one = [new byte[3]];

        Assert.Throws<HyphaProtocolException>(() => FrameAttachments.Resolve(new MsgPackValue[] { placeholder, placeholder }, one));
        Assert.Throws<HyphaProtocolException>(() => FrameAttachments.Resolve(new MsgPackValue[] { 1 }, one));
        Assert.Throws<HyphaProtocolException>(() => FrameAttachments.Resolve(MsgPackValue.Extension(FrameAttachments.PlaceholderType, [0, 0, 0, 1]), one));
        Assert.Throws<HyphaProtocolException>(() => FrameAttachments.Splice(Frame(new MsgPackMap { { "x", MsgPackValue.Extension(FrameAttachments.PlaceholderType, [0, 0, 0, 5]) } }, null), one));
    }

    [Fact]
    public void The_offer_travels_in_hello_and_the_answer_keeps_it_only_for_the_same_directory_and_user()
    {
        NativeSettings client = HelloBodies.Read(HelloBodies.Of(new NativeSettings { Host = "h", SharedMemory = Offer }));
        Assert.Equal(Offer, client.SharedMemory);

        SharedMemoryOffer mine = Offer with { Prefix = "hypha-shm.5.6.xyz", Probe = null, Nonce = null };
        Assert.Equal(mine, new NativeSettings { SharedMemory = mine }.AnswerTo(client).SharedMemory);
        Assert.Null(new NativeSettings { SharedMemory = mine with { Uid = 1001 } }.AnswerTo(client).SharedMemory);
        Assert.Null(new NativeSettings { SharedMemory = mine with { Directory = "/tmp/other" } }.AnswerTo(client).SharedMemory);
        Assert.Null(new NativeSettings().AnswerTo(client).SharedMemory);
    }

    [Fact]
    public void Both_sides_agree_to_shared_memory_only_on_one_host_with_compatible_offers()
    {
        var local = new NativeSettings { Host = "h", SharedMemory = Offer };
        var remote = new NativeSettings { Host = "h", SharedMemory = Offer with { Prefix = "hypha-shm.3.4.x" } };

        Assert.True(NativeAgreement.Between(local, remote).SharedMemory);
        Assert.True(NativeAgreement.Between(remote, local).SharedMemory);
        Assert.False(NativeAgreement.Between(local, remote with { Host = "other" }).SharedMemory);
        Assert.False(NativeAgreement.Between(local, remote with { SharedMemory = null }).SharedMemory);
        Assert.False(NativeAgreement.Between(local with { Host = null }, remote with { Host = null }).SharedMemory);
    }

    [Theory]
    [InlineData("dir", "relative/dir")]
    [InlineData("prefix", "../escape")]
    [InlineData("probe", "a/b")]
    public void An_offer_naming_paths_outside_its_directory_is_a_protocol_error(string field, string value)
    {
        MsgPackMap shm = Offer.ToMap();
        shm.Set(field, value);
        MsgPackMap body = HelloBodies.Of(new NativeSettings());
        body.Set("shm", shm);

        Assert.Throws<NativeProtocolException>(() => HelloBodies.Read(body));
    }

    [Fact]
    public void A_release_round_trips_and_a_malformed_one_is_a_protocol_error()
    {
        (string, ulong)[] released = [("hypha-shm.1.2.abc.1", 3), ("hypha-shm.1.2.abc.2", ulong.MaxValue)];

        ControlMessage message = ControlMessage.Decode(SharedMemoryRelease.Create(released).Encode());

        Assert.Equal(ControlType.ShmRelease, message.Type);
        Assert.Equal(released, SharedMemoryRelease.Read(message));
        Assert.Throws<NativeProtocolException>(() => SharedMemoryRelease.Read(new ControlMessage(ControlType.ShmRelease, [])));
        Assert.Throws<NativeProtocolException>(() => SharedMemoryRelease.Read(new ControlMessage(ControlType.ShmRelease,
            new MsgPackMap { { "refs", new MsgPackValue[] { new MsgPackValue[] { "../x", 1 } } } })));
        Assert.Throws<NativeProtocolException>(() => SharedMemoryRelease.Read(new ControlMessage(ControlType.ShmRelease,
            new MsgPackMap { { "refs", new MsgPackValue[] { new MsgPackValue[] { "a.1", -1 } } } })));
    }

    private static byte[] Reference(string name, long offset, long length)
    {
        byte[] body = new byte[4 + 2 + 1 + name.Length + 24];
        body[4] = 1;
        body[6] = (byte)name.Length;
        System.Text.Encoding.ASCII.GetBytes(name, body.AsSpan(7));
        System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(body.AsSpan(7 + name.Length), offset);
        System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(body.AsSpan(15 + name.Length), length);
        return body;
    }

    private static byte[] Frame(MsgPackMap main, MsgPackMap? extra)
    {
        var output = new ArrayBufferWriter<byte>();
        HyphaFrame.Write(output, main, extra);
        return output.WrittenSpan.ToArray();
    }

    private static byte[] Bytes(int length, int seed)
    {
        byte[] bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
