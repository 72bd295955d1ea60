using Hypha.Protocol.Messages;
using Hypha.Protocol.MsgPack;

namespace Hypha.Protocol.Objects;

/// <summary>
/// <c>{_rtype:"typedarray", _rvalue:&lt;bin&gt;, _rdtype}</c>: a JavaScript TypedArray (any but Uint8Array, which
/// travels as bin). Python peers decode it as a 1-D numpy array.
/// </summary>
public sealed class TypedArray : HyphaObject
{
    /// <summary>The <c>_rtype</c> value.</summary>
    public const string TypeName = "typedarray";

    private TypedArray(MsgPackMap map)
        : base(map)
    {
        Data = MapFields.RequireBinary(map, HyphaKeys.RValue, TypeName);
        DType = MapFields.RequireString(map, HyphaKeys.RDType, TypeName);
    }

    /// <summary><c>_rvalue</c>: the little-endian element buffer.</summary>
    public ReadOnlyMemory<byte> Data { get; }

    /// <summary><c>_rdtype</c>: <c>int8</c>, <c>int16</c>, <c>int32</c>, <c>uint8</c>, <c>uint16</c>, <c>uint32</c>,
    /// <c>float32</c> or <c>float64</c>.</summary>
    public string DType { get; }

    /// <summary>Builds a typed array.</summary>
    /// <exception cref="NotSupportedException">JavaScript has no TypedArray for <typeparamref name="T"/> (use <see cref="NdArray"/>).</exception>
    public static TypedArray Create<T>(ReadOnlySpan<T> items)
        where T : unmanaged
    {
        string dtype = DTypes.Of<T>();
        if (!DTypes.IsTypedArrayName(dtype))
        {
            throw new NotSupportedException($"JavaScript has no TypedArray of {dtype}; send an ndarray instead.");
        }

        MsgPackMap map = Start(TypeName, 3);
        map.Add(HyphaKeys.RValue, DTypes.ToBytes(items));
        map.Add(HyphaKeys.RDType, dtype);
        return new TypedArray(map);
    }

    /// <summary>Reads a typed array.</summary>
    public static TypedArray FromMap(MsgPackMap map)
    {
        Expect(map, TypeName);
        return new TypedArray(map);
    }

    /// <summary>The elements.</summary>
    /// <exception cref="HyphaProtocolException">The dtype is not that of <typeparamref name="T"/>, or the buffer is not
    /// a whole number of elements.</exception>
    public T[] ToArray<T>()
        where T : unmanaged => DTypes.ToArray<T>(Data.Span, DType);
}
