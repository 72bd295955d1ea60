using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;
using Hypha.Protocol.MsgPack;

namespace Hypha.Protocol.Schemas;

/// <summary>
/// Reads the schema-compiled binary form from one whole message. Every length and count is checked against the
/// bytes left before anything is allocated, nesting is limited, strings must be valid UTF-8, and any failure is a
/// <see cref="SchemaFormatException"/>. Byte and any fields are slices of the message, not copies.
/// </summary>
public ref struct SchemaReader
{
    /// <summary>The deepest nesting of references, arrays and maps.</summary>
    public const int MaxDepth = 64;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly ReadOnlyMemory<byte> _memory;
    private readonly ReadOnlySpan<byte> _span;
    private readonly InternReceiveTable? _interns;
    private int _position;
    private int _depth;

    /// <summary>Creates a reader over <paramref name="message"/>; <paramref name="interns"/> is the channel's table, if any.</summary>
    public SchemaReader(ReadOnlyMemory<byte> message, InternReceiveTable? interns = null)
    {
        _memory = message;
        _span = message.Span;
        _interns = interns;
        _position = 0;
        _depth = 0;
    }

    /// <summary>Bytes read so far.</summary>
    public readonly int Consumed => _position;

    /// <summary>Bytes left.</summary>
    public readonly int Remaining => _span.Length - _position;

    /// <summary>Reads an unsigned varint of at most 64 bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong ReadVarint()
    {
        if ((uint)_position < (uint)_span.Length && _span[_position] < 0x80)
        {
            return _span[_position++];
        }

        return ReadLongVarint();
    }

    private ulong ReadLongVarint()
    {
        if (!SchemaPrimitives.TryReadVarint(_span[_position..], 64, out ulong value, out int read))
        {
            throw Error("A varint is truncated, overlong or overflows 64 bits");
        }

        _position += read;
        return value;
    }

    /// <summary>Reads a bool; any byte other than 0 or 1 is an error.</summary>
    public bool ReadBool()
    {
        byte value = Take(1)[0];
        return value switch
        {
            0 => false,
            1 => true,
            _ => throw Error($"A bool must be 0 or 1, not {value}", -1),
        };
    }

    /// <summary>Reads an int32 (zigzag varint).</summary>
    public int ReadInt32()
    {
        long value = SchemaPrimitives.UnZigZag(ReadVarint32());
        return (int)value;
    }

    /// <summary>Reads an int64 (zigzag varint).</summary>
    public long ReadInt64() => SchemaPrimitives.UnZigZag(ReadVarint());

    /// <summary>Reads a uint32 (varint).</summary>
    public uint ReadUInt32() => (uint)ReadVarint32();

    /// <summary>Reads a uint64 (varint).</summary>
    public ulong ReadUInt64() => ReadVarint();

    /// <summary>Reads a float32.</summary>
    public float ReadFloat32() => BinaryPrimitives.ReadSingleLittleEndian(Take(4));

    /// <summary>Reads a float64.</summary>
    public double ReadFloat64() => BinaryPrimitives.ReadDoubleLittleEndian(Take(8));

    /// <summary>Reads a string (varint length, UTF-8).</summary>
    public string ReadString()
    {
        int start = _position;
        ReadOnlySpan<byte> bytes = Take(ReadLength());
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException ex)
        {
            throw new SchemaFormatException("A string is not valid UTF-8", start, ex);
        }
    }

    /// <summary>Skips a string (varint length, UTF-8), checked as <see cref="ReadString"/> checks it, without decoding it.</summary>
    public void SkipString() => ReadUtf8();

    /// <summary>
    /// Reads an interned string field without decoding a literal: the table's string for a slot reference, or null and
    /// the range of the literal's UTF-8 bytes in the message (checked as <see cref="ReadString"/> checks them).
    /// </summary>
    public string? ReadInternedStringOrUtf8(out Range literal)
    {
        int start = _position;
        ulong tag = ReadVarint32();
        if (tag != 0)
        {
            literal = default;
            return Table(start).Text((int)(tag - 1), start);
        }

        literal = ReadUtf8();
        return null;
    }

    // A string's UTF-8 bytes, checked, as their range in the message.
    private Range ReadUtf8()
    {
        int start = _position;
        int length = ReadLength();
        int at = _position;
        if (!System.Text.Unicode.Utf8.IsValid(Take(length)))
        {
            throw new SchemaFormatException("A string is not valid UTF-8", start);
        }

        return new Range(at, at + length);
    }

    /// <summary>Reads bytes (varint length, raw), as a slice of the message.</summary>
    public ReadOnlyMemory<byte> ReadBytes()
    {
        int length = ReadLength();
        int start = _position;
        Take(length);
        return _memory.Slice(start, length);
    }

    /// <summary>Reads an any field: one msgpack value, as a slice of the message.</summary>
    public RawMsgPack ReadAny()
    {
        if (MsgPackPrimitives.TryMeasureValue(_span[_position..], MaxDepth - _depth, out int length) != MsgPackReadStatus.Success)
        {
            throw Error("An any field is not one well-formed msgpack value (or is nested too deep)");
        }

        RawMsgPack value = RawMsgPack.Trusted(_memory.Slice(_position, length));
        _position += length;
        return value;
    }

    /// <summary>Reads an array or map count; a count larger than the bytes left is refused before anything is allocated.</summary>
    public int ReadCount()
    {
        int start = _position;
        ulong count = ReadVarint32();
        if (count > (ulong)Remaining)
        {
            throw new SchemaFormatException($"A count of {count} is more than the {Remaining} bytes left could hold", start);
        }

        return (int)count;
    }

    /// <summary>Reads the presence bits of up to 64 optional fields; bits beyond <paramref name="fieldCount"/> must be zero.</summary>
    public ulong ReadPresence(int fieldCount)
    {
        int bytes = (fieldCount + 7) / 8;
        ReadOnlySpan<byte> source = Take(bytes);
        ulong bits = 0;
        for (int i = 0; i < bytes; i++)
        {
            bits |= (ulong)source[i] << (8 * i);
        }

        if (fieldCount < 64 && bits >> fieldCount != 0)
        {
            throw Error("Presence bits are set for fields that do not exist", -bytes);
        }

        return bits;
    }

    /// <summary>Reads and stores the definitions at the start of a message (their count, then each slot and value).</summary>
    public void ReadDefinitions()
    {
        int start = _position;
        ulong count = ReadVarint32();
        if (count == 0)
        {
            return;
        }

        if (_interns is null)
        {
            throw new SchemaFormatException("A message defines interned values, but this connection interns nothing", start);
        }

        if (count > InternLimits.Capacity)
        {
            throw new SchemaFormatException($"A message defines {count} interned values; a table holds {InternLimits.Capacity}", start);
        }

        for (ulong i = 0; i < count; i++)
        {
            int at = _position;
            ulong slotAndKind = ReadVarint32();
            ReadOnlySpan<byte> value = Take(ReadLength());
            _interns.Define((int)(slotAndKind >> 1), (InternKind)(slotAndKind & 1), value, at);
        }
    }

    /// <summary>Reads an interned string field: a slot reference, or 0 and the literal.</summary>
    public string ReadInternedString()
    {
        int start = _position;
        ulong tag = ReadVarint32();
        return tag == 0 ? ReadString() : Table(start).Text((int)(tag - 1), start);
    }

    /// <summary>Reads an interned any field: a slot reference, or 0 and the literal value.</summary>
    public RawMsgPack ReadInternedAny()
    {
        int start = _position;
        ulong tag = ReadVarint32();
        return tag == 0 ? ReadAny() : Table(start).MsgPack((int)(tag - 1), start);
    }

    /// <summary>Enters a nested value (a reference, an array or a map), enforcing <see cref="MaxDepth"/>.</summary>
    public void EnterNested()
    {
        if (++_depth > MaxDepth)
        {
            throw Error($"Nesting deeper than {MaxDepth}");
        }
    }

    /// <summary>Leaves a nested value.</summary>
    public void LeaveNested() => _depth--;

    /// <summary>Checks that the whole message was read.</summary>
    public readonly void ExpectEnd()
    {
        if (_position != _span.Length)
        {
            throw new SchemaFormatException($"{_span.Length - _position} bytes follow the end of the message", _position);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ulong ReadVarint32()
    {
        // Tags, counts and short lengths take one byte: the common case, without slicing the span.
        if ((uint)_position < (uint)_span.Length && _span[_position] < 0x80)
        {
            return _span[_position++];
        }

        return ReadLongVarint32();
    }

    private ulong ReadLongVarint32()
    {
        if (!SchemaPrimitives.TryReadVarint(_span[_position..], 32, out ulong value, out int read))
        {
            throw Error("A varint is truncated, overlong or overflows 32 bits");
        }

        _position += read;
        return value;
    }

    private int ReadLength()
    {
        int start = _position;
        ulong length = ReadVarint32();
        if (length > (ulong)Remaining)
        {
            throw new SchemaFormatException($"A length of {length} runs past the end of the message ({Remaining} bytes left)", start);
        }

        return (int)length;
    }

    private readonly InternReceiveTable Table(int offset) =>
        _interns ?? throw new SchemaFormatException("A field refers to an intern slot, but this connection interns nothing", offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ReadOnlySpan<byte> Take(int count)
    {
        if (count > _span.Length - _position)
        {
            throw Error($"The message ends {count - (_span.Length - _position)} bytes too early");
        }

        ReadOnlySpan<byte> slice = _span.Slice(_position, count);
        _position += count;
        return slice;
    }

    private readonly SchemaFormatException Error(string message, int relative = 0) => new(message, _position + relative);
}
