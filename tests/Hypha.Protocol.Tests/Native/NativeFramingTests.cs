using System.Buffers;
using System.Text;
using Hypha.Protocol.MsgPack;
using Hypha.Protocol.Native;
using Hypha.Protocol.Schemas;

namespace Hypha.Protocol.Tests.Native;

public sealed class NativeFramingTests
{
    [Fact]
    public void The_window_update_example_of_the_spec_is_what_we_write()
    {
        var output = new ArrayBufferWriter<byte>();
        FrameHeader.WriteFrame(output, NativeChannel.Control, FrameFlags.End, ControlMessages.WindowUpdate(NativeChannel.Bulk, 524_288).Encode());
        byte[] frame = output.WrittenSpan.ToArray();

        byte[] expected =
        [
            0x1a, 0, 0, 0, 0, 1, 0, 0, 0x03, 0x82, 0xa7, .. Encoding.ASCII.GetBytes("channel"), 0x03,
            0xa9, .. Encoding.ASCII.GetBytes("increment"), 0xce, 0x00, 0x08, 0x00, 0x00,
        ];
        Assert.Equal(expected, frame);
    }

    [Fact]
    public void The_call_header_example_of_the_spec_is_what_we_write()
    {
        byte[] header = new byte[FrameHeader.Size];
        new FrameHeader(136, NativeChannel.Rpc, FrameFlags.End).Write(header);
        Assert.Equal(new byte[] { 0x88, 0, 0, 0, 2, 1, 0, 0 }, header);
    }

    [Fact]
    public void The_binary_call_example_of_the_spec_is_what_we_write()
    {
        var call = new RpcMethodV4
        {
            Type = "method", From = "ws-user-anon-c2/c2", To = "ws-user-anon-c1/c1", Method = "services.s1.add", Session = "k7QxW2mZp9RtYb4NcLd8Hs3",
            Args = RawMsgPack.From(new MsgPackValue[] { 21, 7 }), Promise = RawMsgPack.From("*"), T = RawMsgPack.From(15),
        };
        var interns = new InternSendTable();
        int[] sizes = new int[3];
        var third = new System.Buffers.ArrayBufferWriter<byte>();
        for (int i = 0; i < 3; i++)
        {
            third.ResetWrittenCount();
            SchemaMessage.Write(third, 0, call, interns);
            sizes[i] = third.WrittenCount;
        }

        byte[] header = new byte[FrameHeader.Size];
        new FrameHeader(third.WrittenCount, NativeChannel.Rpc, FrameFlags.End | FrameFlags.SchemaFormat).Write(header);

        Assert.Equal([99, 103, 38], sizes);
        Assert.Equal(new byte[] { 0x26, 0, 0, 0, 2, 0x21, 0, 0 }, header);
        Assert.Equal(
            "0000170d01020304" + "17" + Convert.ToHexString("k7QxW2mZp9RtYb4NcLd8Hs3"u8).ToLowerInvariant() + "921507" + "a12a" + "0f",
            Convert.ToHexString(third.WrittenSpan).ToLowerInvariant());
    }

    [Fact]
    public void A_header_round_trips()
    {
        byte[] bytes = new byte[FrameHeader.Size];
        var header = new FrameHeader(70_000, NativeChannel.Bulk, FrameFlags.None);
        header.Write(bytes);
        Assert.Equal(header, FrameHeader.Read(bytes, 1 << 20, FrameFlags.None));
    }

    [Theory]
    [InlineData(new byte[] { 1, 0, 0, 0, 4, 1, 0, 0 }, NativeErrorCode.ProtocolError)]
    [InlineData(new byte[] { 1, 0, 0, 0, 1, 0x40, 0, 0 }, NativeErrorCode.ProtocolError)]
    [InlineData(new byte[] { 1, 0, 0, 0, 1, 0x20, 0, 0 }, NativeErrorCode.ProtocolError)]
    [InlineData(new byte[] { 1, 0, 0, 0, 1, 1, 1, 0 }, NativeErrorCode.ProtocolError)]
    [InlineData(new byte[] { 1, 0, 1, 0, 1, 1, 0, 0 }, NativeErrorCode.FrameTooLarge)]
    [InlineData(new byte[] { 0xff, 0xff, 0xff, 0xff, 1, 1, 0, 0 }, NativeErrorCode.FrameTooLarge)]
    public void A_bad_header_is_a_protocol_error_with_its_code(byte[] bytes, NativeErrorCode code)
    {
        var error = Assert.Throws<NativeProtocolException>(() => FrameHeader.Read(bytes, 65_536, FrameFlags.None));
        Assert.Equal(code, error.Code);
    }

    [Fact]
    public void The_preface_is_recognised_from_its_first_bytes()
    {
        byte[] preface = NativePreface.Create();
        Assert.Equal("HYPH\x01\0\0\0"u8.ToArray(), preface);
        Assert.True(NativePreface.CouldBeNative([]));
        Assert.True(NativePreface.CouldBeNative("HY"u8));
        Assert.True(NativePreface.CouldBeNative("HYPH"u8));
        Assert.False(NativePreface.CouldBeNative("GET "u8));
        Assert.Equal((1, 0), NativePreface.Read(preface));
        Assert.Equal(NativeErrorCode.UnsupportedVersion, Assert.Throws<NativeProtocolException>(() => NativePreface.Read("HYPH\x02\0\0\0"u8)).Code);
        Assert.Equal(NativeErrorCode.ProtocolError, Assert.Throws<NativeProtocolException>(() => NativePreface.Read("GET / HT"u8)).Code);
    }

    [Fact]
    public void Settings_round_trip_through_a_hello()
    {
        var settings = new NativeSettings
        {
            MaxFrame = 32 * 1024, MaxMessage = 1 << 20, StreamWindow = 100_000, BulkWindow = 200_000, RpcWindow = 9,
            Heartbeat = TimeSpan.FromMilliseconds(1500), Compression = ["lz4", "snappy"], Host = "h1",
        };
        (NativeSettings read, MsgPackMap auth) = NativeSettings.ReadHello(settings.EncodeHello(new MsgPackMap { { "client_id", "c1" } }).AsMemory(1));

        Assert.Equal(settings.MaxFrame, read.MaxFrame);
        Assert.Equal(settings.MaxMessage, read.MaxMessage);
        Assert.Equal(settings.StreamWindow, read.StreamWindow);
        Assert.Equal(settings.BulkWindow, read.BulkWindow);
        Assert.Equal(settings.RpcWindow, read.RpcWindow);
        Assert.Equal(settings.Heartbeat, read.Heartbeat);
        Assert.Equal(settings.Compression, read.Compression);
        Assert.Equal("h1", read.Host);
        Assert.Equal([RpcMethodV4.Schema.Fingerprint, StreamItem.Schema.Fingerprint], read.Schemas.Select(offer => offer.Fingerprint));
        Assert.Equal(RpcMethodV4.Schema.Definition, read.Schemas[0].Definition);
        Assert.Equal("c1", auth["client_id"].AsString());
    }

    [Fact]
    public void A_hello_from_a_later_version_with_fields_of_its_own_still_reads()
    {
        MsgPackMap body = HelloBodies.Of(new NativeSettings());
        body.Set("a_later_field", new MsgPackMap { { "x", 1 } });
        body.Set("host", MsgPackValue.Nil);

        NativeSettings read = HelloBodies.Read(body);

        Assert.Null(read.Host);
        Assert.Equal(new NativeSettings().MaxFrame, read.MaxFrame);
    }

    [Theory]
    [InlineData("windows")]
    [InlineData("version")]
    [InlineData("schemas")]
    public void A_hello_without_a_required_field_is_a_protocol_error(string key)
    {
        MsgPackMap body = HelloBodies.Of(new NativeSettings());
        body.Remove(key);

        NativeProtocolException error = Assert.Throws<NativeProtocolException>(() => HelloBodies.Read(body));
        Assert.Equal(NativeErrorCode.ProtocolError, error.Code);
    }

    [Fact]
    public void A_server_accepts_the_built_in_envelope_and_learns_a_valid_version_of_it_but_nothing_else()
    {
        SchemaOffer builtIn = EnvelopeSchemas.DefaultOffers[0];
        var notAnEnvelope = new SchemaOffer { Id = "point", Fingerprint = "f", Definition = """{ "id": "point", "fields": [ { "name": "x", "type": "int32", "index": 0 } ] }""" };
        var unknown = new SchemaOffer { Id = "rpc_method_v9", Fingerprint = "0000000000000000" };
        var lying = new SchemaOffer { Id = builtIn.Id, Fingerprint = "0123456789abcdef", Definition = builtIn.Definition };
        var hello = new NativeSettings { Schemas = [unknown, notAnEnvelope, lying, builtIn] };

        NativeSettings ack = new NativeSettings().AnswerTo(hello);

        SchemaOffer accepted = Assert.Single(ack.Schemas);
        Assert.Equal(builtIn.Fingerprint, accepted.Fingerprint);
        Assert.Null(accepted.Definition);
        Assert.Empty(new NativeSettings { LearnSchemas = false, Schemas = [] }.AnswerTo(hello).Schemas);
    }

    [Fact]
    public void Both_sides_compute_the_same_agreement_from_hello_and_its_answer()
    {
        var hello = new NativeSettings { Compression = ["snappy", "lz4"], Host = "h1" };
        var server = new NativeSettings { Compression = ["lz4", "zstd", "snappy"], Host = "h1" };

        NativeSettings ack = server.AnswerTo(hello);

        Assert.Equal(["snappy", "lz4"], ack.Compression);
        NativeAgreement clientSide = NativeAgreement.Between(hello, ack);
        NativeAgreement serverSide = NativeAgreement.Between(ack, hello);
        Assert.Equal(clientSide.Compression, serverSide.Compression);
        Assert.True(clientSide.SameHost && serverSide.SameHost);
    }

    [Theory]
    [InlineData("h1", "h2")]
    [InlineData(null, "h2")]
    [InlineData(null, null)]
    public void Unknown_or_different_hosts_are_not_the_same_host(string? local, string? remote) =>
        Assert.False(NativeAgreement.Between(new NativeSettings { Host = local }, new NativeSettings { Host = remote }).SameHost);

    [Theory]
    [InlineData("max_frame", 1024L)]
    [InlineData("max_frame", 1L << 30)]
    [InlineData("max_message", 100L)]
    [InlineData("heartbeat_ms", -1L)]
    public void Settings_out_of_bounds_are_refused(string key, long value)
    {
        MsgPackMap body = HelloBodies.Of(new NativeSettings());
        body.Set(key, value);

        Assert.Throws<NativeProtocolException>(() => HelloBodies.Read(body));
    }

    [Fact]
    public void A_window_below_the_frame_limit_is_refused()
    {
        MsgPackMap body = HelloBodies.Of(new NativeSettings());
        body.Set("windows", new MsgPackMap { { "stream", 10 }, { "bulk", 1 << 20 }, { "rpc", 1 } });

        Assert.Throws<NativeProtocolException>(() => HelloBodies.Read(body));
        Assert.Throws<ArgumentException>(() => new NativeSettings { StreamWindow = 10 }.Validate());
    }
}
