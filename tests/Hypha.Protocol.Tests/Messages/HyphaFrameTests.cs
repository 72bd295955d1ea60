using System.Buffers;
using Hypha.Protocol.Messages;
using Hypha.Protocol.MsgPack;

namespace Hypha.Protocol.Tests.Messages;

public class HyphaFrameTests
{
    private static MsgPackMap CallMain() =>
        HyphaEnvelope.CreateCall("ws1/c1", "ws2/c2", "services.s1.add", session: "S1").Main;

    [Fact]
    public void FrameWithoutExtraIsValid()
    {
        byte[] bytes = GoldenFrames.Encode(CallMain(), null);
        HyphaFrame frame = HyphaFrame.Decode(bytes);

        Assert.False(frame.HasExtra);
        Assert.Null(frame.DecodeExtra());
        Assert.Equal(bytes.Length, frame.MainLength);
        Assert.Equal("S1", frame.Envelope.Session);
    }

    [Fact]
    public void ExtraBytesAreExactlyTheSecondObject()
    {
        var extra = new MsgPackMap { { "args", MsgPackValue.Array(21, 7) }, { "t", 7.5 } };
        byte[] bytes = GoldenFrames.Encode(CallMain(), extra);
        HyphaFrame frame = HyphaFrame.Decode(bytes);

        Assert.Equal(((MsgPackValue)extra).ToBytes(), frame.ExtraBytes.ToArray());
        Assert.Equal(MsgPackValueKind.Float64, frame.DecodeExtra()!["t"].Kind);
    }

    [Fact]
    public void RewrittenMainIsFollowedByTheOriginalExtraBytes()
    {
        // What a server does: decode main only, rewrite the routing fields, forward extra untouched.
        var extra = new MsgPackMap { { "args", MsgPackValue.Array(2.0, 3) } };
        HyphaFrame frame = HyphaFrame.Decode(GoldenFrames.Encode(CallMain(), extra));
        MsgPackMap main = frame.Main.Clone();
        main.Set(HyphaKeys.From, "ws1/c1");
        main.Set(HyphaKeys.Workspace, "ws1");
        main.Set(HyphaKeys.User, new MsgPackMap { { "id", "anonymous" } });

        var output = new ArrayBufferWriter<byte>();
        HyphaFrame.Write(output, main, frame.ExtraBytes.Span);
        HyphaFrame forwarded = HyphaFrame.Decode(output.WrittenMemory);

        Assert.Equal(frame.ExtraBytes.ToArray(), forwarded.ExtraBytes.ToArray());
        Assert.Equal("ws1", forwarded.Envelope.Workspace);
        Assert.Equal("anonymous", forwarded.Envelope.User!["id"].AsString());
    }

    [Fact]
    public void MergeLetsExtraOverrideMainAndKeepsMainUntouched()
    {
        var extra = new MsgPackMap { { "args", MsgPackValue.Array(1) }, { "method", "overridden" } };
        HyphaFrame frame = HyphaFrame.Decode(GoldenFrames.Encode(CallMain(), extra));

        MsgPackMap merged = frame.Merge();

        Assert.Equal("overridden", merged["method"].AsString());
        Assert.Equal(1, merged["args"].AsArray()[0].AsInt64());
        Assert.Equal("services.s1.add", frame.Envelope.Method);
    }

    [Fact]
    public void EmptyFrameIsAProtocolError() =>
        Assert.Throws<HyphaProtocolException>(() => HyphaFrame.Decode(ReadOnlyMemory<byte>.Empty));

    [Fact]
    public void MainThatIsNotAMapIsAProtocolError()
    {
        var error = Assert.Throws<HyphaProtocolException>(() => HyphaFrame.Decode(MsgPackValue.Array(1, 2).ToBytes()));
        Assert.Contains("map", error.Message);
    }

    [Fact]
    public void MissingTypeIsAProtocolError()
    {
        var main = new MsgPackMap { { "to", "ws/c" } };
        var error = Assert.Throws<HyphaProtocolException>(() => HyphaFrame.Decode(((MsgPackValue)main).ToBytes()));
        Assert.Contains("'type'", error.Message);
    }

    [Theory]
    [InlineData("from")]
    [InlineData("to")]
    [InlineData("method")]
    [InlineData("session")]
    [InlineData("parent")]
    [InlineData("ws")]
    public void RoutingFieldOfTheWrongTypeIsAProtocolError(string key)
    {
        MsgPackMap main = CallMain();
        main.Set(key, 42);
        var error = Assert.Throws<HyphaProtocolException>(() => HyphaFrame.Decode(((MsgPackValue)main).ToBytes()));
        Assert.Contains($"'{key}'", error.Message);
    }

    [Fact]
    public void UserThatIsNotAMapIsAProtocolError()
    {
        MsgPackMap main = CallMain();
        main.Set("user", "root");
        Assert.Throws<HyphaProtocolException>(() => HyphaFrame.Decode(((MsgPackValue)main).ToBytes()));
    }

    [Fact]
    public void TruncatedMainIsAMsgPackError()
    {
        byte[] bytes = GoldenFrames.Encode(CallMain(), null);
        Assert.Throws<MsgPackException>(() => HyphaFrame.Decode(bytes.AsMemory(0, bytes.Length - 1)));
    }

    [Fact]
    public void MalformedExtraFailsOnlyWhenDecodedAndReportsItsOffsetInTheFrame()
    {
        byte[] main = ((MsgPackValue)CallMain()).ToBytes();
        byte[] bytes = [.. main, 0x81, 0xa4, (byte)'a', (byte)'r'];
        HyphaFrame frame = HyphaFrame.Decode(bytes);

        var error = Assert.Throws<MsgPackException>(() => frame.DecodeExtra());
        Assert.True(error.Offset >= main.Length, $"offset {error.Offset} should point into extra (from {main.Length})");
    }

    [Fact]
    public void ExtraThatIsNotAMapIsAProtocolError()
    {
        byte[] bytes = [.. ((MsgPackValue)CallMain()).ToBytes(), .. MsgPackValue.Array(1).ToBytes()];
        Assert.Throws<HyphaProtocolException>(() => HyphaFrame.Decode(bytes).DecodeExtra());
    }

    [Fact]
    public void TrailingBytesAfterExtraAreAnError()
    {
        byte[] bytes = [.. ((MsgPackValue)CallMain()).ToBytes(), .. ((MsgPackValue)new MsgPackMap()).ToBytes(), 0xc0];
        Assert.Throws<MsgPackException>(() => HyphaFrame.Decode(bytes).DecodeExtra());
    }

    [Fact]
    public void ReaderLimitsApplyToFrames()
    {
        var options = new MsgPackReaderOptions { MaxTotalSize = 16 };
        byte[] bytes = GoldenFrames.Encode(CallMain(), null);
        Assert.Throws<MsgPackException>(() => HyphaFrame.Decode(bytes, options));
    }
}
