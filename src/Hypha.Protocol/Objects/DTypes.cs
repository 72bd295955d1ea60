using System.Runtime.InteropServices;
using Hypha.Protocol.Messages;

namespace Hypha.Protocol.Objects;

/// <summary>
/// The element-type names numpy (<c>ndarray._rdtype</c>) and JavaScript typed arrays (<c>typedarray._rdtype</c>)
/// use, and their .NET counterparts. Buffers are little-endian, in C (row-major) order, as numpy and JS send them.
/// </summary>
public static class DTypes
{
    /// <summary>The dtype names a JavaScript peer turns back into a TypedArray (Uint8Array travels as bin instead).</summary>
    public static IReadOnlyList<string> TypedArrayNames { get; } =
        ["int8", "int16", "int32", "uint8", "uint16", "uint32", "float32", "float64"];

    /// <summary>The dtype name of a .NET element type.</summary>
    /// <exception cref="NotSupportedException">numpy has no counterpart for <typeparamref name="T"/>.</exception>
    public static string Of<T>()
        where T : unmanaged => Of(typeof(T));

    /// <summary>The dtype name of a .NET element type.</summary>
    /// <exception cref="NotSupportedException">numpy has no counterpart for <paramref name="type"/>.</exception>
    public static string Of(Type type) => Type.GetTypeCode(type) switch
    {
        TypeCode.SByte => "int8",
        TypeCode.Int16 => "int16",
        TypeCode.Int32 => "int32",
        TypeCode.Int64 => "int64",
        TypeCode.Byte => "uint8",
        TypeCode.UInt16 => "uint16",
        TypeCode.UInt32 => "uint32",
        TypeCode.UInt64 => "uint64",
        TypeCode.Single => "float32",
        TypeCode.Double => "float64",
        TypeCode.Boolean => "bool",
        _ when type == typeof(Half) => "float16",
        _ => throw new NotSupportedException($"{type} has no numpy dtype."),
    };

    /// <summary>The size in bytes of one element of <paramref name="dtype"/>, or 0 for a dtype .NET cannot map.</summary>
    public static int ItemSize(string dtype) => dtype switch
    {
        "int8" or "uint8" or "bool" => 1,
        "int16" or "uint16" or "float16" => 2,
        "int32" or "uint32" or "float32" => 4,
        "int64" or "uint64" or "float64" => 8,
        _ => 0,
    };

    /// <summary>True when a JavaScript peer decodes <paramref name="dtype"/> as a TypedArray.</summary>
    public static bool IsTypedArrayName(string dtype) => TypedArrayNames.Contains(dtype);

    /// <summary>The little-endian bytes of <paramref name="items"/>.</summary>
    internal static byte[] ToBytes<T>(ReadOnlySpan<T> items)
        where T : unmanaged => LittleEndianCopy(MemoryMarshal.AsBytes(items), System.Runtime.CompilerServices.Unsafe.SizeOf<T>());

    /// <summary>Copies elements of <paramref name="itemSize"/> bytes in this machine's order to a little-endian array.</summary>
    internal static byte[] LittleEndianCopy(ReadOnlySpan<byte> native, int itemSize)
    {
        byte[] bytes = native.ToArray();
        SwapIfBigEndian(bytes, itemSize);
        return bytes;
    }

    /// <summary>Copies a little-endian buffer of <paramref name="dtype"/> elements into a new array.</summary>
    /// <exception cref="HyphaProtocolException">The dtype is not that of <typeparamref name="T"/>, or the buffer length
    /// is not a whole number of elements.</exception>
    internal static T[] ToArray<T>(ReadOnlySpan<byte> buffer, string dtype)
        where T : unmanaged
    {
        string expected = Of<T>();
        if (dtype != expected)
        {
            throw new HyphaProtocolException($"The array holds {dtype} elements, not {expected}.");
        }

        int size = System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        if (buffer.Length % size != 0)
        {
            throw new HyphaProtocolException($"A buffer of {buffer.Length} bytes is not a whole number of {dtype} elements.");
        }

        var items = new T[buffer.Length / size];
        Span<byte> target = MemoryMarshal.AsBytes(items.AsSpan());
        buffer.CopyTo(target);
        SwapIfBigEndian(target, size);
        if (typeof(T) == typeof(bool))
        {
            // numpy booleans are any non-zero byte; a .NET bool must be exactly 0 or 1.
            foreach (ref byte b in target)
            {
                b = b != 0 ? (byte)1 : (byte)0;
            }
        }

        return items;
    }

    private static void SwapIfBigEndian(Span<byte> bytes, int itemSize)
    {
        if (BitConverter.IsLittleEndian || itemSize == 1)
        {
            return;
        }

        for (int i = 0; i + itemSize <= bytes.Length; i += itemSize)
        {
            bytes.Slice(i, itemSize).Reverse();
        }
    }
}
