using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;
using Hypha.Protocol.Buffers;
using Hypha.Protocol.MsgPack;

namespace Hypha.Protocol.Schemas;

/// <summary>
/// Writes the schema-compiled binary form (docs/schema-language.md) into an <see cref="IBufferWriter{T}"/>. Small
/// writes go into a span borrowed from the output and are committed in batches: call <see cref="Flush"/> when done.
/// Interned fields are planned first (<see cref="PlanInterned(string)"/>, in field order), their definitions
/// written (<see cref="WriteDefinitions"/>), then the body refers to them (<see cref="WriteInterned(string)"/>, in
/// the same order). Without an intern table every interned field is written as a literal, and planning is optional.
/// </summary>
public ref struct SchemaWriter
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    private readonly IBufferWriter<byte> _output;
    private readonly InternSendTable? _interns;
    private Span<byte> _span;
    private int _buffered;
    private InternPlan _plan;
    private int _planned;
    private int _used;

    /// <summary>Creates a writer; <paramref name="interns"/> is the connection's table for this message's channel, if any.</summary>
    public SchemaWriter(IBufferWriter<byte> output, InternSendTable? interns = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
        _interns = interns;
        _span = default;
        _buffered = 0;
        _planned = 0;
        _used = 0;
    }

    /// <summary>Commits every byte written so far to the output.</summary>
    public void Flush()
    {
        if (_buffered > 0)
        {
            _output.Advance(_buffered);
            _buffered = 0;
        }

        _span = default;
    }

    /// <summary>Writes an unsigned varint.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteVarint(ulong value)
    {
        // Tags, counts and short lengths take one byte: the common case, without slicing the span.
        if (value < 0x80 && (uint)_buffered < (uint)_span.Length)
        {
            _span[_buffered++] = (byte)value;
            return;
        }

        WriteLongVarint(value);
    }

    /// <summary>Writes a bool: one byte, 0 or 1.</summary>
    public void WriteBool(bool value)
    {
        Reserve(1)[0] = value ? (byte)1 : (byte)0;
        _buffered++;
    }

    /// <summary>Writes an int32 as a zigzag varint.</summary>
    public void WriteInt32(int value) => WriteVarint(SchemaPrimitives.ZigZag(value));

    /// <summary>Writes an int64 as a zigzag varint.</summary>
    public void WriteInt64(long value) => WriteVarint(SchemaPrimitives.ZigZag(value));

    /// <summary>Writes a uint32 as a varint.</summary>
    public void WriteUInt32(uint value) => WriteVarint(value);

    /// <summary>Writes a uint64 as a varint.</summary>
    public void WriteUInt64(ulong value) => WriteVarint(value);

    /// <summary>Writes a float32, little-endian.</summary>
    public void WriteFloat32(float value)
    {
        SchemaPrimitives.WriteSingle(Reserve(4), value);
        _buffered += 4;
    }

    /// <summary>Writes a float64, little-endian.</summary>
    public void WriteFloat64(double value)
    {
        SchemaPrimitives.WriteDouble(Reserve(8), value);
        _buffered += 8;
    }

    /// <summary>Writes a string: its UTF-8 length as a varint, then the bytes.</summary>
    public void WriteString(string value)
    {
        ArgumentNullException.ThrowIfNull(value);

        // A string of at most 42 chars takes at most 126 UTF-8 bytes, so its length is one varint byte whatever it
        // holds: encode straight after that byte, in one pass.
        if (value.Length <= 42)
        {
            Span<byte> room = Reserve(1 + (value.Length * 3));
            int written = Utf8.GetBytes(value, room[1..]);
            room[0] = (byte)written;
            _buffered += 1 + written;
            return;
        }

        int length = Utf8.GetByteCount(value);
        WriteVarint((ulong)length);
        if (length <= 4096)
        {
            // Reserve may flush, which resets _buffered: it must run before _buffered is read.
            Span<byte> destination = Reserve(length);
            _buffered += Utf8.GetBytes(value, destination);
            return;
        }

        Flush();
        Utf8.GetBytes(value, _output);
    }

    /// <summary>Writes bytes: the length as a varint, then the bytes.</summary>
    public void WriteBytes(scoped ReadOnlySpan<byte> value)
    {
        WriteVarint((ulong)value.Length);
        WriteRaw(value);
    }

    /// <summary>Writes an any field: the msgpack value's bytes as they are.</summary>
    public void WriteAny(RawMsgPack value) => WriteRaw(value.Bytes.Span);

    /// <summary>Writes the element count of an array or map.</summary>
    public void WriteCount(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        WriteVarint((ulong)count);
    }

    /// <summary>
    /// Writes presence bits for up to 64 optional fields: bit i of <paramref name="bits"/> for the i-th, in
    /// ceil(<paramref name="fieldCount"/> / 8) bytes, least significant first.
    /// </summary>
    public void WritePresence(ulong bits, int fieldCount)
    {
        int bytes = (fieldCount + 7) / 8;
        Span<byte> destination = Reserve(bytes);
        for (int i = 0; i < bytes; i++)
        {
            destination[i] = (byte)(bits >> (8 * i));
        }

        _buffered += bytes;
    }

    /// <summary>Plans an interned string field (first pass, in field order).</summary>
    public void PlanInterned(string value) => AddPlan(_interns?.Plan(value) ?? 0);

    /// <summary>Plans an interned any field (first pass, in field order).</summary>
    public void PlanInterned(RawMsgPack value) => AddPlan(_interns?.Plan(value.Bytes.Span) ?? 0);

    /// <summary>Writes the definitions the plan made: their count, then each slot (with its kind) and value.</summary>
    public void WriteDefinitions()
    {
        if (_interns is null)
        {
            WriteVarint(0);
            return;
        }

        IReadOnlyList<(int Slot, object? Previous)> changes = _interns.Changes;
        WriteVarint((ulong)changes.Count);
        if (changes.Count == 0)
        {
            return;
        }

        foreach ((int slot, _) in changes)
        {
            object? value = _interns.ValueAt(slot);
            if (value is string text)
            {
                WriteVarint(((ulong)slot << 1) | (ulong)InternKind.Text);
                WriteString(text);
            }
            else
            {
                WriteVarint(((ulong)slot << 1) | (ulong)InternKind.MsgPack);
                WriteBytes((byte[])value!);
            }
        }
    }

    /// <summary>Writes an interned string field (second pass): a slot reference, or 0 and the literal.</summary>
    public void WriteInterned(string value)
    {
        int tag = NextPlanned();
        WriteVarint((ulong)tag);
        if (tag == 0)
        {
            WriteString(value);
        }
    }

    /// <summary>Writes an interned any field (second pass): a slot reference, or 0 and the literal value.</summary>
    public void WriteInterned(RawMsgPack value)
    {
        int tag = NextPlanned();
        WriteVarint((ulong)tag);
        if (tag == 0)
        {
            WriteAny(value);
        }
    }

    private void AddPlan(int tag)
    {
        if (_planned >= SchemaSet.MaxInternedFields)
        {
            throw new InvalidOperationException($"A message may intern at most {SchemaSet.MaxInternedFields} fields.");
        }

        _plan[_planned++] = tag;
    }

    // Without a table every interned field is a literal, planned or not.
    private int NextPlanned() =>
        _used < _planned ? _plan[_used++]
        : _interns is null ? 0
        : throw new InvalidOperationException("An interned field was written that was not planned first.");

    private void WriteRaw(scoped ReadOnlySpan<byte> value)
    {
        if (value.Length <= 4096)
        {
            value.CopyTo(Reserve(value.Length));
            _buffered += value.Length;
            return;
        }

        Flush();
        PooledBufferWriter.Append(_output, value);
    }

    private void WriteLongVarint(ulong value)
    {
        Span<byte> destination = Reserve(SchemaPrimitives.MaxVarintLength);
        SchemaPrimitives.TryWriteVarint(destination, value, out int written);
        _buffered += written;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Span<byte> Reserve(int size)
    {
        if (_span.Length - _buffered < size)
        {
            Flush();
            _span = _output.GetSpan(size);
        }

        return _span[_buffered..];
    }

    [InlineArray(SchemaSet.MaxInternedFields)]
    private struct InternPlan
    {
        private int _element;
    }
}
