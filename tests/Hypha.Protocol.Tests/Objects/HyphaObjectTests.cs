using Hypha.Protocol.Messages;
using Hypha.Protocol.MsgPack;
using Hypha.Protocol.Objects;

namespace Hypha.Protocol.Tests.Objects;

public class HyphaObjectTests
{
    private static MsgPackValue RoundTrip(HyphaObject value) => MsgPackValue.Parse(((MsgPackValue)value).ToBytes());

    [Fact]
    public void EveryKnownTypeDecodesToItsView()
    {
        HyphaObject[] objects =
        [
            RemoteMethod.Create("c", "services.s.f", RemotePromiseMode.Compact, "http://h", "f", "doc", new MsgPackMap { { "name", "f" } }),
            RemoteError.Create("boom", "trace"),
            NdArray.Create<short>([1, 2, 3, 4, 5, 6], 2, 3),
            TypedArray.Create<int>([1, -1]),
            MemoryView.Create(new byte[] { 9 }),
            RemoteSet.Create(1, "a"),
            OrderedMap.Create([new(1, "one"), new("k", 2)]),
            RemoteGenerator.Create("c", "S.g", "S.g:close", "http://h"),
            StopIteration.Create(),
            IoStream.Create("js:blob", new MsgPackMap { { "name", "a.txt" }, { "size", 3 }, { "read", RemoteMethod.Create("c", "S.read") } }),
        ];

        foreach (HyphaObject value in objects)
        {
            HyphaObject? decoded = HyphaObject.Decode(RoundTrip(value));
            Assert.NotNull(decoded);
            Assert.Equal(value.GetType(), decoded.GetType());
            Assert.Equal(value.RType, decoded.RType);
            Assert.Equal(((MsgPackValue)value).ToBytes(), ((MsgPackValue)decoded).ToBytes());
        }
    }

    [Fact]
    public void UnknownRTypeAndPlainMapsAreNotObjects()
    {
        Assert.Null(HyphaObject.Decode(new MsgPackMap { { "_rtype", "pydantic_model" }, { "x", 1 } }));
        Assert.Null(HyphaObject.Decode(new MsgPackMap { { "a", 1 } }));
        Assert.Null(HyphaObject.Decode(new MsgPackMap { { "_rtype", 5 } }));
        Assert.Null(HyphaObject.Decode(42));
        var unknown = new MsgPackMap { { "_rtype", "custom" }, { "v", 1 } };
        Assert.Equal("custom", Assert.IsType<Dictionary<string, object?>>(HyphaValue.ToObject(unknown))["_rtype"]);
    }

    [Theory]
    [InlineData("method", "_rmethod")]
    [InlineData("generator", "_rtarget")]
    [InlineData("ndarray", "_rvalue")]
    [InlineData("typedarray", "_rdtype")]
    [InlineData("memoryview", "_rvalue")]
    [InlineData("set", "_rvalue")]
    [InlineData("orderedmap", "_rvalue")]
    public void KnownTypeMissingARequiredFieldIsAProtocolError(string rtype, string field)
    {
        var full = new MsgPackMap
        {
            { "_rtype", rtype }, { "_rtarget", "c" }, { "_rmethod", "S.m" }, { "_rvalue", MsgPackValue.Array() },
            { "_rdtype", "int8" }, { "_rshape", MsgPackValue.Array(0) },
        };
        if (rtype is "ndarray" or "typedarray" or "memoryview")
        {
            full.Set("_rvalue", Array.Empty<byte>());
        }

        Assert.NotNull(HyphaObject.Decode(full));
        full.Remove(field);
        var error = Assert.Throws<HyphaProtocolException>(() => HyphaObject.Decode(full));
        Assert.Contains(field, error.Message);
    }

    [Fact]
    public void RPromiseAcceptsItsThreeFormsAndRejectsOthers()
    {
        MsgPackMap With(MsgPackValue promise) => new() { { "_rtype", "method" }, { "_rtarget", "c" }, { "_rmethod", "m" }, { "_rpromise", promise } };

        Assert.Equal(RemotePromiseMode.Explicit, RemoteMethod.FromMap(With(true)).PromiseMode);
        Assert.Equal(RemotePromiseMode.None, RemoteMethod.FromMap(With(false)).PromiseMode);
        Assert.Equal(RemotePromiseMode.Compact, RemoteMethod.FromMap(With("*")).PromiseMode);
        Assert.Equal(RemotePromiseMode.None, RemoteMethod.FromMap(With(MsgPackValue.Nil)).PromiseMode);
        Assert.Throws<HyphaProtocolException>(() => RemoteMethod.FromMap(With("x")));
        Assert.Throws<HyphaProtocolException>(() => RemoteMethod.FromMap(With(1)));
    }

    [Fact]
    public void PythonAsyncFlagIsRead()
    {
        MsgPackMap map = RemoteMethod.Create("ws/c", "services.s.f").Map.Clone();
        map.Add("_rasync", true);
        Assert.True(RemoteMethod.FromMap(map).IsAsync);
        Assert.Null(RemoteMethod.Create("c", "m").IsAsync);
    }

    [Theory]
    [InlineData("c1", "ws-a", "ws-a/c1")]
    [InlineData("ws-b/c1", "ws-a", "ws-b/c1")]
    [InlineData("*/manager-1", "ws-a", "*/manager-1")]
    public void TargetsAreMadeAbsoluteWithTheSendersWorkspace(string target, string senderWorkspace, string expected) =>
        Assert.Equal(expected, RemoteMethod.Create(target, "m").AbsoluteTarget(senderWorkspace));

    [Fact]
    public void WithTargetChangesOnlyTheTargetOfACopy()
    {
        RemoteMethod original = RemoteMethod.Create("c1", "services.s.f", RemotePromiseMode.Compact, "http://h", "f");
        RemoteMethod moved = original.WithTarget("ws/c1");

        Assert.Equal("c1", original.Target);
        Assert.Equal("ws/c1", moved.Target);
        Assert.Equal(original.Map.Select(e => e.Key), moved.Map.Select(e => e.Key));
    }

    [Fact]
    public void ErrorWithANonStringValueStillHasAReadableMessage()
    {
        RemoteError error = RemoteError.FromMap(new MsgPackMap { { "_rtype", "error" }, { "_rvalue", 42 } });
        Assert.Equal("42", error.Message);
        Assert.Null(error.Trace);
    }

    [Fact]
    public void PythonOrderedDictKeysOnlyIsAccepted()
    {
        OrderedMap keysOnly = OrderedMap.FromMap(new MsgPackMap { { "_rtype", "orderedmap" }, { "_rvalue", MsgPackValue.Array("a", "b") } });
        Assert.True(keysOnly.IsKeysOnly);
        Assert.Equal(["a", "b"], keysOnly.Entries.Select(e => e.Key.AsString()));

        OrderedMap pairs = OrderedMap.Create([new("a", 1)]);
        Assert.False(pairs.IsKeysOnly);
        Assert.Equal(1, pairs.Entries.Single().Value.AsInt64());
    }

    [Fact]
    public void IoStreamExposesPropertiesAndMethods()
    {
        IoStream stream = IoStream.Create("py:BufferedReader", new MsgPackMap { { "name", "f.bin" }, { "read", RemoteMethod.Create("c", "S.read") } });
        Assert.Equal("py:BufferedReader", stream.Native);
        Assert.Equal("f.bin", stream["name"].AsString());
        Assert.Equal("read", stream.Methods.Single().Key);
    }
}
