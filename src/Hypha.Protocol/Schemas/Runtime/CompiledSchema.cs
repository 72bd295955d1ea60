using System.Buffers;
using Hypha.Protocol.MsgPack;

namespace Hypha.Protocol.Schemas;

/// <summary>
/// The codecs of a schema built at run time (<see cref="SchemaCompiler"/>), for a schema learned from a peer: the
/// binary form and the msgpack form of <see cref="SchemaRecord"/>s, byte for byte what the generated code of the
/// same schema writes. The server transcodes between the two forms with it.
/// </summary>
public sealed class CompiledSchema
{
    private readonly ValueCodec[] _codecs;
    private readonly int[] _presenceBit;
    private readonly int[] _segment;
    private readonly int _optionalCount;
    private readonly int _segmentCount;
    private readonly Dictionary<string, int> _positions = new(StringComparer.Ordinal);

    internal CompiledSchema(SchemaSet set, SchemaDefinition definition, Func<string, CompiledSchema> compiler)
    {
        Definition = definition;
        Info = new SchemaInfo(definition.Id, set.Fingerprint(definition.Id), SchemaDefinitionJson.WriteWithReferences(set, definition.Id));
        IReadOnlyList<string?> segments = definition.Segments;
        _segmentCount = segments.Count;
        int count = definition.Fields.Count;
        _codecs = new ValueCodec[count];
        _presenceBit = new int[count];
        _segment = new int[count];
        for (int i = 0; i < count; i++)
        {
            SchemaField field = definition.Fields[i];
            _codecs[i] = ValueCodec.For(field.Type, compiler);
            _presenceBit[i] = field.Optional ? _optionalCount++ : -1;
            _segment[i] = IndexOf(segments, field.Segment);
            _positions.Add(field.Name, i);
        }
    }

    /// <summary>The schema.</summary>
    public SchemaDefinition Definition { get; }

    /// <summary>Its id, fingerprint and definition, as peers exchange them.</summary>
    public SchemaInfo Info { get; }

    /// <summary>A record with every field absent.</summary>
    public SchemaRecord NewRecord() => new(this);

    /// <summary>The position of the field <paramref name="name"/> in index order.</summary>
    /// <exception cref="KeyNotFoundException">No such field.</exception>
    public int PositionOf(string name) =>
        _positions.TryGetValue(name, out int position) ? position : throw new KeyNotFoundException($"Schema '{Definition.Id}' has no field '{name}'.");

    /// <summary>Plans the interned fields of a top-level message, in field order.</summary>
    public void PlanInterned(ref SchemaWriter writer, SchemaRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        for (int i = 0; i < _codecs.Length; i++)
        {
            if (Definition.Fields[i].Interned && record.Get(i) is { } value)
            {
                if (value is string text)
                {
                    writer.PlanInterned(text);
                }
                else
                {
                    writer.PlanInterned((RawMsgPack)value);
                }
            }
        }
    }

    /// <summary>Writes the binary body: presence bits, then the present fields in index order.</summary>
    /// <exception cref="InvalidOperationException">A required field is absent.</exception>
    public void Write(ref SchemaWriter writer, SchemaRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        for (int chunk = 0; chunk * 64 < _optionalCount; chunk++)
        {
            ulong bits = 0;
            for (int i = 0; i < _codecs.Length; i++)
            {
                int bit = _presenceBit[i] - (chunk * 64);
                if (bit is >= 0 and < 64 && record.Get(i) is not null)
                {
                    bits |= 1UL << bit;
                }
            }

            writer.WritePresence(bits, Math.Min(64, _optionalCount - (chunk * 64)));
        }

        for (int i = 0; i < _codecs.Length; i++)
        {
            object? value = record.Get(i);
            if (value is null)
            {
                if (_presenceBit[i] < 0)
                {
                    throw new InvalidOperationException($"The required field '{Definition.Fields[i].Name}' of schema '{Definition.Id}' has no value.");
                }

                continue;
            }

            if (Definition.Fields[i].Interned)
            {
                if (value is string text)
                {
                    writer.WriteInterned(text);
                }
                else
                {
                    writer.WriteInterned((RawMsgPack)value);
                }
            }
            else
            {
                _codecs[i].Write(ref writer, value);
            }
        }
    }

    /// <summary>Reads a binary body.</summary>
    /// <exception cref="SchemaFormatException">The bytes do not decode.</exception>
    public SchemaRecord Read(ref SchemaReader reader)
    {
        var record = new SchemaRecord(this);
        ulong[] presence = new ulong[(_optionalCount + 63) / 64];
        for (int chunk = 0; chunk < presence.Length; chunk++)
        {
            presence[chunk] = reader.ReadPresence(Math.Min(64, _optionalCount - (chunk * 64)));
        }

        for (int i = 0; i < _codecs.Length; i++)
        {
            int bit = _presenceBit[i];
            if (bit >= 0 && (presence[bit / 64] & (1UL << (bit % 64))) == 0)
            {
                continue;
            }

            SchemaField field = Definition.Fields[i];
            object value = !field.Interned ? _codecs[i].Read(ref reader)
                : field.Type.Kind == SchemaTypeKind.String ? reader.ReadInternedString()
                : reader.ReadInternedAny();
            record.SetUnchecked(i, value);
        }

        return record;
    }

    /// <summary>
    /// Writes the msgpack form: one map per segment, in order, up to the last one with a field present (the first
    /// always), so trailing empty segments are left out and a reader still knows each map by its place.
    /// </summary>
    /// <exception cref="InvalidOperationException">A required field is absent.</exception>
    public void WriteMsgPack(ref MsgPackWriter writer, SchemaRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        Span<int> present = stackalloc int[_segmentCount];
        int last = 0;
        for (int i = 0; i < _codecs.Length; i++)
        {
            if (record.Get(i) is not null)
            {
                present[_segment[i]]++;
                last = Math.Max(last, _segment[i]);
            }
            else if (_presenceBit[i] < 0)
            {
                throw new InvalidOperationException($"The required field '{Definition.Fields[i].Name}' of schema '{Definition.Id}' has no value.");
            }
        }

        for (int segment = 0; segment <= last; segment++)
        {
            writer.WriteMapHeader(present[segment]);
            for (int i = 0; i < _codecs.Length; i++)
            {
                if (_segment[i] == segment && record.Get(i) is { } value)
                {
                    writer.Write(Definition.Fields[i].Name);
                    _codecs[i].WriteMsgPack(ref writer, value);
                }
            }
        }
    }

    /// <summary>
    /// Reads the msgpack form, or returns null when it is not of this schema's shape (an unknown key, a key in the
    /// wrong segment or twice, a value of another type, a required field missing; an open schema skips the keys it
    /// does not name instead). nil for an optional field other than any reads as absent. Trailing segments may be
    /// absent when the input ends.
    /// </summary>
    /// <exception cref="MsgPackException">The msgpack is malformed.</exception>
    public SchemaRecord? TryReadMsgPack(ref MsgPackReader reader)
    {
        var record = new SchemaRecord(this);
        bool[] seen = new bool[_codecs.Length];
        for (int segment = 0; segment < _segmentCount; segment++)
        {
            if (segment > 0 && reader.End)
            {
                break;
            }

            if (!SchemaMsgPack.TryReadMapHeader(ref reader, out int count))
            {
                return null;
            }

            for (int k = 0; k < count; k++)
            {
                if (!SchemaMsgPack.TryReadString(ref reader, out string key))
                {
                    return null;
                }

                if (!_positions.TryGetValue(key, out int i) || _segment[i] != segment || seen[i])
                {
                    if (!Definition.Open)
                    {
                        return null;
                    }

                    reader.Skip();
                    continue;
                }

                seen[i] = true;
                if (_presenceBit[i] >= 0 && Definition.Fields[i].Type.Kind != SchemaTypeKind.Any && reader.TryReadNil())
                {
                    continue;
                }

                if (!_codecs[i].TryReadMsgPack(ref reader, out object? value))
                {
                    return null;
                }

                record.SetUnchecked(i, value);
            }
        }

        for (int i = 0; i < _codecs.Length; i++)
        {
            if (_presenceBit[i] < 0 && record.Get(i) is null)
            {
                return null;
            }
        }

        return record;
    }

    /// <summary>Writes a whole binary message (schema number, intern definitions, body); see <see cref="SchemaMessage.Write"/>.</summary>
    public void WriteMessage(IBufferWriter<byte> output, int schemaNumber, SchemaRecord record, InternSendTable? interns)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(schemaNumber);
        interns?.Begin();
        var writer = new SchemaWriter(output, interns);
        writer.WriteVarint((ulong)schemaNumber);
        PlanInterned(ref writer, record);
        writer.WriteDefinitions();
        Write(ref writer, record);
        writer.Flush();
    }

    /// <summary>Reads a body after <see cref="SchemaMessage.ReadHeader"/> and checks nothing follows it.</summary>
    public SchemaRecord ReadBody(ref SchemaReader reader)
    {
        SchemaRecord record = Read(ref reader);
        reader.ExpectEnd();
        return record;
    }

    internal void Check(int position, object? value)
    {
        SchemaField field = Definition.Fields[position];
        if (value is null ? _presenceBit[position] < 0 : !_codecs[position].Accepts(value))
        {
            throw new ArgumentException(value is null
                ? $"The required field '{field.Name}' cannot be absent."
                : $"Field '{field.Name}' of schema '{Definition.Id}' is {field.Type}; a {value.GetType().Name} does not fit.");
        }
    }

    private static int IndexOf(IReadOnlyList<string?> segments, string? segment)
    {
        for (int i = 0; i < segments.Count; i++)
        {
            if (segments[i] == segment)
            {
                return i;
            }
        }

        return -1;
    }
}
