using Hypha.Protocol.Messages;
using Hypha.Protocol.MsgPack;
using Hypha.Protocol.Objects;

namespace Hypha.Protocol.Tests.Objects;

public class ArrayEncodingTests
{
    [Theory]
    [InlineData(typeof(sbyte), "int8")]
    [InlineData(typeof(short), "int16")]
    [InlineData(typeof(int), "int32")]
    [InlineData(typeof(long), "int64")]
    [InlineData(typeof(byte), "uint8")]
    [InlineData(typeof(ushort), "uint16")]
    [InlineData(typeof(uint), "uint32")]
    [InlineData(typeof(ulong), "uint64")]
    [InlineData(typeof(Half), "float16")]
    [InlineData(typeof(float), "float32")]
    [InlineData(typeof(double), "float64")]
    [InlineData(typeof(bool), "bool")]
    public void DTypeNamesAreNumpys(Type type, string dtype) => Assert.Equal(dtype, DTypes.Of(type));

    [Fact]
    public void TypesWithoutADTypeAreRejected()
    {
        Assert.Throws<NotSupportedException>(() => DTypes.Of(typeof(decimal)));
        Assert.Throws<NotSupportedException>(() => TypedArray.Create<long>([1]));
    }

    [Fact]
    public void OneDimensionalArraysUseTypedArrayWhereJavaScriptHasOne()
    {
        Assert.Equal("typedarray", HyphaObject.Decode(HyphaValue.FromObject(new[] { 1, 2 }))!.RType);
        Assert.Equal("typedarray", HyphaObject.Decode(HyphaValue.FromObject(new double[] { 1 }))!.RType);
        Assert.Equal("ndarray", HyphaObject.Decode(HyphaValue.FromObject(new long[] { 1 }))!.RType);
        Assert.Equal("ndarray", HyphaObject.Decode(HyphaValue.FromObject(new[] { true }))!.RType);
    }

    [Fact]
    public void BuffersAreLittleEndian()
    {
        TypedArray typed = TypedArray.Create<int>([0x01020304]);
        Assert.Equal(new byte[] { 4, 3, 2, 1 }, typed.Data.ToArray());
    }

    [Fact]
    public void MultiDimensionalArrayKeepsShapeAndCOrder()
    {
        var matrix = new float[,] { { 1, 2, 3 }, { 4, 5, 6 } };
        NdArray nd = Assert.IsType<NdArray>(HyphaObject.Decode(HyphaValue.FromObject(matrix)));

        Assert.Equal([2L, 3L], nd.Shape);
        Assert.Equal("float32", nd.DType);
        Assert.Equal([1f, 2, 3, 4, 5, 6], nd.ToArray<float>());
        Assert.Equal(6, nd.ElementCount);
    }

    [Fact]
    public void NumpyScalarHasAnEmptyShape()
    {
        NdArray scalar = NdArray.Create<double>([2.5]);
        Assert.Empty(scalar.Shape);
        Assert.Equal([2.5], scalar.ToArray<double>());
    }

    [Fact]
    public void ShapeMustMatchTheElementCount() =>
        Assert.Throws<ArgumentException>(() => NdArray.Create<int>([1, 2, 3], 2, 2));

    [Fact]
    public void DecodedNdArrayWithAWrongBufferLengthFailsClearly()
    {
        var map = new MsgPackMap { { "_rtype", "ndarray" }, { "_rvalue", new byte[8] }, { "_rshape", MsgPackValue.Array(3) }, { "_rdtype", "int32" } };
        NdArray nd = NdArray.FromMap(map);
        Assert.Throws<HyphaProtocolException>(() => nd.ToArray<int>());
        Assert.Throws<HyphaProtocolException>(() => nd.ToArray<float>());
    }

    [Fact]
    public void PartialElementBufferIsAProtocolError()
    {
        var map = new MsgPackMap { { "_rtype", "typedarray" }, { "_rvalue", new byte[5] }, { "_rdtype", "float32" } };
        Assert.Throws<HyphaProtocolException>(() => TypedArray.FromMap(map).ToArray<float>());
    }

    [Fact]
    public void NegativeShapeIsAProtocolError()
    {
        var map = new MsgPackMap { { "_rtype", "ndarray" }, { "_rvalue", new byte[0] }, { "_rshape", MsgPackValue.Array(-1) }, { "_rdtype", "int8" } };
        Assert.Throws<HyphaProtocolException>(() => NdArray.FromMap(map));
    }

    [Fact]
    public void NumpyBooleansAreNormalised()
    {
        var map = new MsgPackMap { { "_rtype", "ndarray" }, { "_rvalue", new byte[] { 0, 7 } }, { "_rshape", MsgPackValue.Array(2) }, { "_rdtype", "bool" } };
        Assert.Equal([false, true], Assert.IsType<bool[]>(HyphaValue.ToObject(map)));
    }
}
