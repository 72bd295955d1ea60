using System.Runtime.InteropServices;
using Hypha.Protocol.Messages;
using Hypha.Protocol.MsgPack;

namespace Hypha.Protocol.Objects;

/// <summary>
/// <c>{_rtype:"ndarray", _rvalue:&lt;bin&gt;, _rshape:[...], _rdtype}</c>: a numpy array (or scalar, with an empty
/// shape). The buffer is the raw C-order data.
/// </summary>
public sealed class NdArray : HyphaObject
{
    /// <summary>The <c>_rtype</c> value.</summary>
    public const string TypeName = "ndarray";

    private NdArray(MsgPackMap map)
        : base(map)
    {
        Data = MapFields.RequireBinary(map, HyphaKeys.RValue, TypeName);
        DType = MapFields.RequireString(map, HyphaKeys.RDType, TypeName);
        MsgPackValue[] shape = MapFields.RequireArray(map, HyphaKeys.RShape, TypeName);
        Shape = new long[shape.Length];
        for (int i = 0; i < shape.Length; i++)
        {
            if (!shape[i].TryGetInt64(out Shape[i]) || Shape[i] < 0)
            {
                throw new HyphaProtocolException($"ndarray: _rshape must hold non-negative integers, not {shape[i]}.");
            }
        }
    }

    /// <summary><c>_rvalue</c>: the raw element buffer.</summary>
    public ReadOnlyMemory<byte> Data { get; }

    /// <summary><c>_rshape</c>; empty for a scalar.</summary>
    public long[] Shape { get; }

    /// <summary><c>_rdtype</c>: the numpy dtype name (<c>float32</c>, <c>int16</c>, <c>bool</c>, ...).</summary>
    public string DType { get; }

    /// <summary>The number of elements the shape describes (1 for a scalar).</summary>
    public long ElementCount
    {
        get
        {
            long count = 1;
            foreach (long dimension in Shape)
            {
                count = checked(count * dimension);
            }

            return count;
        }
    }

    /// <summary>Builds an array from elements in C order and a shape whose product is their count.</summary>
    public static NdArray Create<T>(ReadOnlySpan<T> data, params long[] shape)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(shape);
        long count = 1;
        foreach (long dimension in shape)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(dimension, nameof(shape));
            count = checked(count * dimension);
        }

        if (count != data.Length)
        {
            throw new ArgumentException($"The shape holds {count} elements but {data.Length} were given.", nameof(shape));
        }

        return Build(DTypes.ToBytes(data), shape, DTypes.Of<T>());
    }

    /// <summary>
    /// Builds an array from a .NET array of any rank (<c>float[,]</c>, say): its shape is the array's dimensions,
    /// and .NET's layout is already C order.
    /// </summary>
    public static NdArray FromArray(Array array)
    {
        ArgumentNullException.ThrowIfNull(array);
        Type element = array.GetType().GetElementType()!;
        string dtype = DTypes.Of(element);
        int size = DTypes.ItemSize(dtype);
        var shape = new long[array.Rank];
        for (int i = 0; i < shape.Length; i++)
        {
            shape[i] = array.GetLength(i);
        }

        ReadOnlySpan<byte> raw = MemoryMarshal.CreateReadOnlySpan(ref MemoryMarshal.GetArrayDataReference(array), array.Length * size);
        return Build(DTypes.LittleEndianCopy(raw, size), shape, dtype);
    }

    /// <summary>Reads an ndarray.</summary>
    public static NdArray FromMap(MsgPackMap map)
    {
        Expect(map, TypeName);
        return new NdArray(map);
    }

    /// <summary>The elements, flattened in C order.</summary>
    /// <exception cref="HyphaProtocolException">The dtype is not that of <typeparamref name="T"/>, or the buffer does
    /// not hold exactly the elements the shape describes.</exception>
    public T[] ToArray<T>()
        where T : unmanaged
    {
        T[] items = DTypes.ToArray<T>(Data.Span, DType);
        if (items.LongLength != ElementCount)
        {
            throw new HyphaProtocolException(
                $"ndarray: the shape describes {ElementCount} elements but the buffer holds {items.Length}.");
        }

        return items;
    }

    private static NdArray Build(byte[] bytes, long[] shape, string dtype)
    {
        MsgPackMap map = Start(TypeName, 4);
        map.Add(HyphaKeys.RValue, bytes);
        var dims = new MsgPackValue[shape.Length];
        for (int i = 0; i < shape.Length; i++)
        {
            dims[i] = shape[i];
        }

        map.Add(HyphaKeys.RShape, dims);
        map.Add(HyphaKeys.RDType, dtype);
        return new NdArray(map);
    }
}
