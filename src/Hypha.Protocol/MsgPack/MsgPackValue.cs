using System.Buffers;
using System.Runtime.InteropServices;

namespace Hypha.Protocol.MsgPack;

/// <summary>
/// One msgpack value of any type, for the dynamic payloads of hypha messages. A scalar lives inside the struct
/// (no boxing); text, bytes, arrays and maps hold one reference. The int/float distinction and the str/bin
/// distinction survive a round trip, and maps keep their key order, so re-encoding gives the same bytes.
/// </summary>
public readonly partial struct MsgPackValue
{
    private readonly object? _ref;
    private readonly long _bits;
    private readonly int _aux;

    private MsgPackValue(MsgPackValueKind kind, long bits = 0, object? reference = null, int aux = 0)
    {
        Kind = kind;
        _bits = bits;
        _ref = reference;
        _aux = aux;
    }

    /// <summary>nil (also the default value of the struct).</summary>
    public static MsgPackValue Nil => default;

    /// <summary>What this value holds.</summary>
    public MsgPackValueKind Kind { get; }

    /// <summary>True for nil.</summary>
    public bool IsNil => Kind == MsgPackValueKind.Nil;

    /// <summary>True for an integer of either signedness.</summary>
    public bool IsInteger => Kind is MsgPackValueKind.Integer or MsgPackValueKind.UInt64;

    /// <summary>True for a float 32 or float 64.</summary>
    public bool IsFloat => Kind is MsgPackValueKind.Float32 or MsgPackValueKind.Float64;

    /// <summary>True for text.</summary>
    public bool IsString => Kind == MsgPackValueKind.String;

    /// <summary>True for a map.</summary>
    public bool IsMap => Kind == MsgPackValueKind.Map;

    /// <summary>True for an array.</summary>
    public bool IsArray => Kind == MsgPackValueKind.Array;

    /// <summary>True for bytes.</summary>
    public bool IsBinary => Kind == MsgPackValueKind.Binary;

    /// <summary>Creates a boolean.</summary>
    public static implicit operator MsgPackValue(bool value) => new(MsgPackValueKind.Boolean, value ? 1 : 0);

    /// <summary>Creates an integer.</summary>
    public static implicit operator MsgPackValue(int value) => new(MsgPackValueKind.Integer, value);

    /// <summary>Creates an integer.</summary>
    public static implicit operator MsgPackValue(long value) => new(MsgPackValueKind.Integer, value);

    /// <summary>Creates an integer.</summary>
    public static implicit operator MsgPackValue(uint value) => new(MsgPackValueKind.Integer, value);

    /// <summary>Creates an integer; values above <see cref="long.MaxValue"/> are kept as <see cref="MsgPackValueKind.UInt64"/>.</summary>
    public static implicit operator MsgPackValue(ulong value) =>
        new(value > long.MaxValue ? MsgPackValueKind.UInt64 : MsgPackValueKind.Integer, unchecked((long)value));

    /// <summary>Creates a float 32.</summary>
    public static implicit operator MsgPackValue(float value) =>
        new(MsgPackValueKind.Float32, BitConverter.SingleToInt32Bits(value));

    /// <summary>Creates a float 64.</summary>
    public static implicit operator MsgPackValue(double value) =>
        new(MsgPackValueKind.Float64, BitConverter.DoubleToInt64Bits(value));

    /// <summary>Creates text, or nil for null.</summary>
    public static implicit operator MsgPackValue(string? value) =>
        value is null ? default : new(MsgPackValueKind.String, reference: value);

    /// <summary>Creates bytes (kept by reference, not copied), or nil for null.</summary>
    public static implicit operator MsgPackValue(byte[]? value) =>
        value is null ? default : new(MsgPackValueKind.Binary, 0, value, value.Length);

    /// <summary>
    /// Creates bytes. Memory over an array or a <see cref="MemoryManager{T}"/> (shared memory, for one) is kept by
    /// reference; any other memory is copied.
    /// </summary>
    public static implicit operator MsgPackValue(ReadOnlyMemory<byte> value)
    {
        if (MemoryMarshal.TryGetArray(value, out ArraySegment<byte> segment) && segment.Array is not null)
        {
            return new(MsgPackValueKind.Binary, segment.Offset, segment.Array, segment.Count);
        }

        if (MemoryMarshal.TryGetMemoryManager(value, out MemoryManager<byte>? manager, out int start, out int length))
        {
            return new(MsgPackValueKind.Binary, start, manager, length);
        }

        return value.ToArray();
    }

    /// <summary>Creates an array (kept by reference), or nil for null.</summary>
    public static implicit operator MsgPackValue(MsgPackValue[]? items) =>
        items is null ? default : new(MsgPackValueKind.Array, reference: items);

    /// <summary>Creates a map (kept by reference), or nil for null.</summary>
    public static implicit operator MsgPackValue(MsgPackMap? map) =>
        map is null ? default : new(MsgPackValueKind.Map, reference: map);

    /// <summary>Creates a timestamp.</summary>
    public static implicit operator MsgPackValue(MsgPackTimestamp value) =>
        new(MsgPackValueKind.Timestamp, value.Seconds, aux: (int)value.Nanoseconds);

    /// <summary>Creates a timestamp from a <see cref="DateTime"/> (converted to UTC).</summary>
    public static implicit operator MsgPackValue(DateTime value) => MsgPackTimestamp.FromDateTime(value);

    /// <summary>Creates an array of the given items.</summary>
    public static MsgPackValue Array(params MsgPackValue[] items) => items;

    /// <summary>Creates an extension value. Type -1 is the timestamp: its data must be a valid timestamp, and the
    /// result is a <see cref="MsgPackValueKind.Timestamp"/>.</summary>
    /// <exception cref="ArgumentException">Type -1 with data that is not a valid timestamp, which no reader would accept.</exception>
    public static MsgPackValue Extension(sbyte typeCode, byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (typeCode != MsgPackCode.TimestampExtensionType)
        {
            return new(MsgPackValueKind.Extension, reference: data, aux: typeCode);
        }

        return MsgPackPrimitives.TryDecodeTimestamp(data, out MsgPackTimestamp timestamp) == MsgPackReadStatus.Success
            ? timestamp
            : throw new ArgumentException(
                $"Extension type -1 is reserved for timestamps; {data.Length} bytes are not a valid timestamp.", nameof(data));
    }

    /// <summary>The boolean held.</summary>
    /// <exception cref="InvalidOperationException">This is not a boolean.</exception>
    public bool AsBoolean() => Kind == MsgPackValueKind.Boolean ? _bits != 0 : throw WrongKind("a boolean");

    /// <summary>The integer held, as a signed value.</summary>
    /// <exception cref="InvalidOperationException">This is not an integer, or it is above <see cref="long.MaxValue"/>.</exception>
    public long AsInt64() => Kind == MsgPackValueKind.Integer ? _bits : throw WrongKind("a signed 64-bit integer");

    /// <summary>The integer held, as an unsigned value.</summary>
    /// <exception cref="InvalidOperationException">This is not a non-negative integer.</exception>
    public ulong AsUInt64() => Kind switch
    {
        MsgPackValueKind.UInt64 => unchecked((ulong)_bits),
        MsgPackValueKind.Integer when _bits >= 0 => (ulong)_bits,
        _ => throw WrongKind("an unsigned 64-bit integer"),
    };

    /// <summary>
    /// Any number as a double: floats as they are, integers converted. JavaScript peers send whole-number
    /// floats as ints, so a float parameter must accept both.
    /// </summary>
    /// <exception cref="InvalidOperationException">This is not a number.</exception>
    public double AsDouble() => TryGetDouble(out double value) ? value : throw WrongKind("a number");

    /// <summary>The text held.</summary>
    /// <exception cref="InvalidOperationException">This is not text.</exception>
    public string AsString() => Kind == MsgPackValueKind.String ? (string)_ref! : throw WrongKind("a string");

    /// <summary>The bytes held, without copying.</summary>
    /// <exception cref="InvalidOperationException">This is not bytes.</exception>
    public ReadOnlyMemory<byte> AsBinary() => Kind != MsgPackValueKind.Binary ? throw WrongKind("binary data")
        : _ref is MemoryManager<byte> manager ? manager.Memory.Slice((int)_bits, _aux)
        : new((byte[])_ref!, (int)_bits, _aux);

    /// <summary>The array held.</summary>
    /// <exception cref="InvalidOperationException">This is not an array.</exception>
    public MsgPackValue[] AsArray() => Kind == MsgPackValueKind.Array ? (MsgPackValue[])_ref! : throw WrongKind("an array");

    /// <summary>The map held.</summary>
    /// <exception cref="InvalidOperationException">This is not a map.</exception>
    public MsgPackMap AsMap() => Kind == MsgPackValueKind.Map ? (MsgPackMap)_ref! : throw WrongKind("a map");

    /// <summary>The timestamp held.</summary>
    /// <exception cref="InvalidOperationException">This is not a timestamp.</exception>
    public MsgPackTimestamp AsTimestamp() =>
        Kind == MsgPackValueKind.Timestamp ? new(_bits, (uint)_aux) : throw WrongKind("a timestamp");

    /// <summary>The type code and data of the extension held.</summary>
    /// <exception cref="InvalidOperationException">This is not an extension.</exception>
    public (sbyte TypeCode, ReadOnlyMemory<byte> Data) AsExtension() =>
        Kind == MsgPackValueKind.Extension ? ((sbyte)_aux, (byte[])_ref!) : throw WrongKind("an extension");

    /// <summary>Gets the integer held, if this is an integer that fits a <see cref="long"/>.</summary>
    public bool TryGetInt64(out long value)
    {
        value = _bits;
        return Kind == MsgPackValueKind.Integer;
    }

    /// <summary>Gets any number as a double.</summary>
    public bool TryGetDouble(out double value)
    {
        value = Kind switch
        {
            MsgPackValueKind.Float64 => BitConverter.Int64BitsToDouble(_bits),
            MsgPackValueKind.Float32 => BitConverter.Int32BitsToSingle((int)_bits),
            MsgPackValueKind.Integer => _bits,
            MsgPackValueKind.UInt64 => unchecked((ulong)_bits),
            _ => 0,
        };
        return Kind is MsgPackValueKind.Float64 or MsgPackValueKind.Float32 or MsgPackValueKind.Integer or MsgPackValueKind.UInt64;
    }

    /// <summary>Gets the text held, if this is text.</summary>
    public bool TryGetString([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value)
    {
        value = _ref as string;
        return Kind == MsgPackValueKind.String;
    }

    /// <summary>Gets the map held, if this is a map.</summary>
    public bool TryGetMap([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out MsgPackMap? map)
    {
        map = _ref as MsgPackMap;
        return Kind == MsgPackValueKind.Map;
    }

    /// <summary>Gets the array held, if this is an array.</summary>
    public bool TryGetArray([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out MsgPackValue[]? items)
    {
        items = _ref as MsgPackValue[];
        return Kind == MsgPackValueKind.Array;
    }

    /// <summary>The value under a string key of a map; nil when this is not a map or the key is absent.</summary>
    public MsgPackValue this[string key] =>
        Kind == MsgPackValueKind.Map && ((MsgPackMap)_ref!).TryGetValue(key, out MsgPackValue value) ? value : default;

    private InvalidOperationException WrongKind(string expected) =>
        new($"Expected {expected} but the value is {Kind}.");
}
