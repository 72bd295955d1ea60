using System.Buffers;

namespace Hypha.Protocol.MsgPack;

public readonly partial struct MsgPackValue
{
    /// <summary>Decodes one whole value, with the reader's limits. The bytes of str, bin and ext are copied.</summary>
    /// <exception cref="MsgPackException">The input is malformed, truncated or over a limit.</exception>
    public static MsgPackValue Read(ref MsgPackReader reader)
    {
        switch (reader.NextType)
        {
            case MsgPackType.Nil:
                reader.ReadNil();
                return default;
            case MsgPackType.Boolean:
                return reader.ReadBoolean();
            case MsgPackType.Integer:
                ulong bits = reader.ReadIntegerBits(out bool isSigned);
                return isSigned ? unchecked((long)bits) : bits;
            case MsgPackType.Float:
                // Not a conditional expression: its type would be double, turning every float 32 into a float 64.
                if (reader.NextCode == MsgPackCode.Float32)
                {
                    return reader.ReadSingle();
                }

                return reader.ReadDouble();
            case MsgPackType.String:
                return reader.ReadString();
            case MsgPackType.Binary:
                return reader.ReadBytes()!.Value.ToArray();
            case MsgPackType.Array:
                return ReadArray(ref reader);
            case MsgPackType.Map:
                return ReadMap(ref reader);
            case MsgPackType.Extension:
                return ReadExtension(ref reader);
            default:
                reader.Skip(); // throws the reader's own error for the byte 0xc1
                return default;
        }
    }

    /// <summary>Decodes a buffer that must hold exactly one value.</summary>
    /// <exception cref="MsgPackException">The input is malformed, over a limit, or has bytes after the value.</exception>
    public static MsgPackValue Parse(ReadOnlyMemory<byte> input, MsgPackReaderOptions? options = null)
    {
        var reader = new MsgPackReader(input, options);
        MsgPackValue value = Read(ref reader);
        if (!reader.End)
        {
            throw new MsgPackException($"{reader.Remaining} unexpected bytes after the value", reader.Consumed);
        }

        return value;
    }

    /// <summary>Encodes this value, in the smallest encoding of each part.</summary>
    public void WriteTo(ref MsgPackWriter writer)
    {
        switch (Kind)
        {
            case MsgPackValueKind.Nil:
                writer.WriteNil();
                break;
            case MsgPackValueKind.Boolean:
                writer.Write(_bits != 0);
                break;
            case MsgPackValueKind.Integer:
                writer.Write(_bits);
                break;
            case MsgPackValueKind.UInt64:
                writer.Write(unchecked((ulong)_bits));
                break;
            case MsgPackValueKind.Float32:
                writer.Write(BitConverter.Int32BitsToSingle((int)_bits));
                break;
            case MsgPackValueKind.Float64:
                writer.Write(BitConverter.Int64BitsToDouble(_bits));
                break;
            case MsgPackValueKind.String:
                writer.Write((string)_ref!);
                break;
            case MsgPackValueKind.Binary:
                writer.WriteBinary(AsBinary().Span);
                break;
            case MsgPackValueKind.Array:
                MsgPackValue[] items = (MsgPackValue[])_ref!;
                writer.WriteArrayHeader(items.Length);
                foreach (MsgPackValue item in items)
                {
                    item.WriteTo(ref writer);
                }

                break;
            case MsgPackValueKind.Map:
                MsgPackMap map = (MsgPackMap)_ref!;
                writer.WriteMapHeader(map.Count);
                foreach (KeyValuePair<MsgPackValue, MsgPackValue> entry in map)
                {
                    entry.Key.WriteTo(ref writer);
                    entry.Value.WriteTo(ref writer);
                }

                break;
            case MsgPackValueKind.Extension:
                writer.WriteExtension((sbyte)_aux, (byte[])_ref!);
                break;
            case MsgPackValueKind.Timestamp:
                writer.Write(AsTimestamp());
                break;
        }
    }

    /// <summary>Encodes this value into a new array.</summary>
    public byte[] ToBytes()
    {
        var output = new ArrayBufferWriter<byte>();
        var writer = new MsgPackWriter(output);
        WriteTo(ref writer);
        writer.Flush();
        return output.WrittenSpan.ToArray();
    }

    private static MsgPackValue ReadArray(ref MsgPackReader reader)
    {
        reader.EnterNested(); // before the header, so that a depth error points at this array
        int count = reader.ReadArrayHeader();
        var items = count == 0 ? [] : new MsgPackValue[count];
        for (int i = 0; i < count; i++)
        {
            items[i] = Read(ref reader);
        }

        reader.LeaveNested();
        return items;
    }

    private static MsgPackValue ReadMap(ref MsgPackReader reader)
    {
        reader.EnterNested(); // before the header, so that a depth error points at this map
        int count = reader.ReadMapHeader();
        var map = new MsgPackMap(count);
        for (int i = 0; i < count; i++)
        {
            MsgPackValue key = Read(ref reader);
            map.Add(key, Read(ref reader));
        }

        reader.LeaveNested();
        return map;
    }

    private static MsgPackValue ReadExtension(ref MsgPackReader reader)
    {
        MsgPackReader peek = reader;
        if (peek.ReadExtensionHeader().TypeCode == MsgPackCode.TimestampExtensionType)
        {
            return reader.ReadTimestamp();
        }

        ReadOnlySequence<byte> data = reader.ReadExtension(out ExtensionHeader header);
        return new MsgPackValue(MsgPackValueKind.Extension, reference: data.ToArray(), aux: header.TypeCode);
    }
}
