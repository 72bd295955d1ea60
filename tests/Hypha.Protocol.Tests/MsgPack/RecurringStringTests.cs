using Hypha.Protocol.MsgPack;
using Hypha.Protocol.Schemas;

namespace Hypha.Protocol.Tests.MsgPack;

public class RecurringStringTests
{
    private static string? ReadOne(byte[] bytes)
    {
        var reader = new MsgPackReader(bytes);
        return reader.ReadRecurringString();
    }

    [Fact]
    public void TheSameBytesReadAgainOnOneThreadGiveTheSameInstance()
    {
        string address = $"ws-user-{Guid.NewGuid():N}/client";
        byte[] bytes = ((MsgPackValue)address).ToBytes();

        string? first = ReadOne(bytes);
        string? second = ReadOne(((MsgPackValue)address).ToBytes());

        Assert.Equal(address, first);
        Assert.Same(first, second);
    }

    [Fact]
    public void DifferentValuesStayDifferentWhateverTheirSlots()
    {
        // More values than the cache has slots: every one still reads back as itself.
        string[] values = Enumerable.Range(0, 500).Select(i => $"ws-{i}/peer-{i * 7}").ToArray();
        for (int round = 0; round < 2; round++)
        {
            foreach (string value in values)
            {
                Assert.Equal(value, ReadOne(((MsgPackValue)value).ToBytes()));
            }
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("é/ünïcode")]
    [InlineData("日本語のアドレス")]
    public void EmptyAndNonAsciiStringsDecodeCorrectly(string value)
    {
        Assert.Equal(value, ReadOne(((MsgPackValue)value).ToBytes()));
        Assert.Equal(value, ReadOne(((MsgPackValue)value).ToBytes()));
    }

    [Fact]
    public void LongStringsAndStringsSplitAcrossSegmentsAreDecoded()
    {
        string longer = new('x', 1000);
        Assert.Equal(longer, ReadOne(((MsgPackValue)longer).ToBytes()));

        byte[] bytes = ((MsgPackValue)"ws/split-address").ToBytes();
        foreach ((string name, System.Buffers.ReadOnlySequence<byte> sequence) in TestSequences.AllSplits(bytes))
        {
            var reader = new MsgPackReader(sequence);
            Assert.True("ws/split-address" == reader.ReadRecurringString(), name);
        }
    }

    [Fact]
    public void NilIsNullAndInvalidUtf8IsMalformedInput()
    {
        Assert.Null(ReadOne([MsgPackCode.Nil]));
        byte[] invalid = [0xA2, 0xC3, 0x28];
        Assert.Throws<MsgPackException>(() => ReadOne(invalid));
        Assert.Throws<MsgPackException>(() => ReadOne(invalid));
    }

    [Fact]
    public void InternedFieldsOfGeneratedMessagesReadFromMsgPackShareTheirValues()
    {
        var message = new RpcMethodV4 { Type = "method", From = "ws-a/caller", To = "ws-b/callee", Method = "services.s.f", Session = "S1" };
        byte[] frame = Hypha.Protocol.Messages.RpcMessages.ToFrame(message);

        RpcMethodV4 first = Hypha.Protocol.Messages.RpcMessages.TryRead(frame, MsgPackReaderOptions.Default)!;
        RpcMethodV4 second = Hypha.Protocol.Messages.RpcMessages.TryRead(frame, MsgPackReaderOptions.Default)!;

        Assert.Same(first.From, second.From);
        Assert.Same(first.To, second.To);
        Assert.Same(first.Method, second.Method);
        Assert.Equal("S1", second.Session);
        Assert.NotSame(first.Session, second.Session); // a session is not an interned field: it never recurs
    }
}
