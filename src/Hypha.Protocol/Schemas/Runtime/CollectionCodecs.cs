using Hypha.Protocol.MsgPack;

namespace Hypha.Protocol.Schemas;

/// <summary>array&lt;T&gt;: a count, then the elements; <c>object?[]</c> in a record.</summary>
internal sealed class ArrayCodec(ValueCodec element) : ValueCodec
{
    public override bool Accepts(object value) => value is object?[] items && items.All(item => item is not null && element.Accepts(item));

    public override object Read(ref SchemaReader reader)
    {
        reader.EnterNested();
        var items = new object?[reader.ReadCount()];
        for (int i = 0; i < items.Length; i++)
        {
            items[i] = element.Read(ref reader);
        }

        reader.LeaveNested();
        return items;
    }

    public override void Write(ref SchemaWriter writer, object value)
    {
        var items = (object?[])value;
        writer.WriteCount(items.Length);
        foreach (object? item in items)
        {
            element.Write(ref writer, item!);
        }
    }

    public override void WriteMsgPack(ref MsgPackWriter writer, object value)
    {
        var items = (object?[])value;
        writer.WriteArrayHeader(items.Length);
        foreach (object? item in items)
        {
            element.WriteMsgPack(ref writer, item!);
        }
    }

    public override bool TryReadMsgPack(ref MsgPackReader reader, out object? value)
    {
        value = null;
        if (!SchemaMsgPack.TryReadArrayHeader(ref reader, out int count))
        {
            return false;
        }

        reader.EnterNested();
        var items = new object?[count];
        for (int i = 0; i < count; i++)
        {
            if (!element.TryReadMsgPack(ref reader, out items[i]))
            {
                return false;
            }
        }

        reader.LeaveNested();
        value = items;
        return true;
    }
}

/// <summary>map&lt;string,T&gt;: a count, then key/value pairs; a <see cref="Dictionary{TKey,TValue}"/> in a record, in its order.</summary>
internal sealed class MapCodec(ValueCodec element) : ValueCodec
{
    public override bool Accepts(object value) =>
        value is Dictionary<string, object?> map && map.Values.All(item => item is not null && element.Accepts(item));

    public override object Read(ref SchemaReader reader)
    {
        reader.EnterNested();
        int count = reader.ReadCount();
        var map = new Dictionary<string, object?>(count, StringComparer.Ordinal);
        for (int i = 0; i < count; i++)
        {
            int at = reader.Consumed;
            string key = reader.ReadString();
            if (!map.TryAdd(key, element.Read(ref reader)))
            {
                throw new SchemaFormatException($"The map key \"{key}\" appears twice", at);
            }
        }

        reader.LeaveNested();
        return map;
    }

    public override void Write(ref SchemaWriter writer, object value)
    {
        var map = (Dictionary<string, object?>)value;
        writer.WriteCount(map.Count);
        foreach ((string key, object? item) in map)
        {
            writer.WriteString(key);
            element.Write(ref writer, item!);
        }
    }

    public override void WriteMsgPack(ref MsgPackWriter writer, object value)
    {
        var map = (Dictionary<string, object?>)value;
        writer.WriteMapHeader(map.Count);
        foreach ((string key, object? item) in map)
        {
            writer.Write(key);
            element.WriteMsgPack(ref writer, item!);
        }
    }

    public override bool TryReadMsgPack(ref MsgPackReader reader, out object? value)
    {
        value = null;
        if (!SchemaMsgPack.TryReadMapHeader(ref reader, out int count))
        {
            return false;
        }

        reader.EnterNested();
        var map = new Dictionary<string, object?>(count, StringComparer.Ordinal);
        for (int i = 0; i < count; i++)
        {
            if (!SchemaMsgPack.TryReadString(ref reader, out string key) || !element.TryReadMsgPack(ref reader, out object? item) || !map.TryAdd(key, item))
            {
                return false;
            }
        }

        reader.LeaveNested();
        value = map;
        return true;
    }
}

/// <summary>A reference to another schema: its body inline; a nested map in msgpack.</summary>
internal sealed class RecordCodec(string id, Func<string, CompiledSchema> compiler) : ValueCodec
{
    private CompiledSchema? _schema;

    private CompiledSchema Schema => _schema ??= compiler(id);

    public override bool Accepts(object value) =>
        value is SchemaRecord record && record.Schema.Info.Id == Schema.Info.Id && record.Schema.Info.Fingerprint == Schema.Info.Fingerprint;

    public override object Read(ref SchemaReader reader)
    {
        reader.EnterNested();
        SchemaRecord record = Schema.Read(ref reader);
        reader.LeaveNested();
        return record;
    }

    public override void Write(ref SchemaWriter writer, object value) => Schema.Write(ref writer, (SchemaRecord)value);

    public override void WriteMsgPack(ref MsgPackWriter writer, object value) => Schema.WriteMsgPack(ref writer, (SchemaRecord)value);

    public override bool TryReadMsgPack(ref MsgPackReader reader, out object? value)
    {
        reader.EnterNested();
        value = Schema.TryReadMsgPack(ref reader);
        reader.LeaveNested();
        return value is not null;
    }
}
