namespace Hypha.Protocol.Generator;

/// <summary>
/// Writes the binary form of a contract's records (docs/typed-services.md, "Records in native mode"), with the schema
/// runtime's primitives and in the layout of a schema-compiled message (docs/schema-language.md, "Binary form"): a
/// record is the presence bits of its nullable fields, then its fields in declaration order, nested records inline.
/// Inside lists and maps a nullable element is a bool, then the value when it is true. Enums are their integer value,
/// GUIDs 16 bytes, times UTC ticks, values of any shape their msgpack bytes.
/// </summary>
internal static class BinaryCodecEmitter
{
    private const string Typed = CodecEmitter.Typed;
    private const string Schemas = "global::Hypha.Protocol.Schemas";
    private const string Binary = Typed + ".TypedBinaryValues";

    /// <summary>The binary write and read functions of one type with a binary form (and, for a record, the delegates its ext codec passes).</summary>
    public static void EmitCodec(CodeWriter code, TypeModel type)
    {
        switch (type.Kind)
        {
            case WireKind.Record: Record(code, type); break;
            case WireKind.Sequence: Sequence(code, type); break;
            case WireKind.Map: Map(code, type); break;
        }
    }

    private static CodeWriter OpenWrite(CodeWriter code, TypeModel type) =>
        code.Open($"private static void WriteBinary_{type.CodecName}(ref {Schemas}.SchemaWriter writer, {type.TypeText} value, {Typed}.TypedWriteContext context)");

    private static CodeWriter OpenRead(CodeWriter code, TypeModel type) =>
        code.Open($"private static {type.TypeText} ReadBinary_{type.CodecName}(ref {Schemas}.SchemaReader reader, {Typed}.TypedReadContext context)");

    private static void Record(CodeWriter code, TypeModel type)
    {
        List<FieldModel> fields = RecordBinaryForm.Fields(type).ToList();
        List<FieldModel> optional = fields.Where(f => f.Type.Nullable).ToList();
        string label = type.Symbol.Name;

        OpenWrite(code, type).Line("context.EnterNested();");
        for (int chunk = 0; chunk * 64 < optional.Count; chunk++)
        {
            code.Line($"ulong presence{chunk} = 0;");
            for (int bit = chunk * 64; bit < Math.Min(optional.Count, (chunk + 1) * 64); bit++)
            {
                code.Line($"if (value.@{optional[bit].Name} is not null) presence{chunk} |= 1UL << {bit - (chunk * 64)};");
            }

            code.Line($"writer.WritePresence(presence{chunk}, {Math.Min(64, optional.Count - (chunk * 64))});");
        }

        foreach (FieldModel field in fields)
        {
            string where = $"{label}.{field.Name}";
            if (field.Type.Nullable)
            {
                string local = code.UniqueName("__f");
                code.Open($"if (value.@{field.Name} is {{ }} {local})");
                WriteCore(code, field.Type.Underlying!, local, where, check: false);
                code.Close();
            }
            else
            {
                WriteCore(code, field.Type, $"value.@{field.Name}", where);
            }
        }

        code.Line("context.LeaveNested();").Close().Line();

        OpenRead(code, type).Line("reader.EnterNested();");
        for (int chunk = 0; chunk * 64 < optional.Count; chunk++)
        {
            code.Line($"ulong presence{chunk} = reader.ReadPresence({Math.Min(64, optional.Count - (chunk * 64))});");
        }

        foreach (FieldModel field in fields)
        {
            int f = type.Fields.IndexOf(field);
            int bit = optional.IndexOf(field);
            code.Line(bit < 0
                ? $"{field.Type.TypeText} f{f} = {ReadCore(field.Type)};"
                : $"{field.Type.TypeText} f{f} = (presence{bit / 64} & (1UL << {bit % 64})) != 0 ? {ReadCore(field.Type.Underlying!)} : default({field.Type.TypeText});");
        }

        code.Line("reader.LeaveNested();");
        CodecEmitter.Construct(code, type, allPresent: true);
        code.Line("return value;").Close().Line();

        code.Line($"private static readonly {Typed}.TypedBinaryWriter<{type.TypeText}> BinaryWriter_{type.CodecName} = WriteBinary_{type.CodecName};")
            .Line($"private static readonly {Typed}.TypedBinaryReader<{type.TypeText}> BinaryReader_{type.CodecName} = ReadBinary_{type.CodecName};")
            .Line();
    }

    private static void Sequence(CodeWriter code, TypeModel type)
    {
        TypeModel element = type.Element!;
        OpenWrite(code, type);
        (string items, string count) = CodecEmitter.ItemsToWrite(code, type);
        code.Line("context.EnterNested();").Line($"writer.WriteCount({count});").Open($"foreach (var item in {items})");
        WriteElement(code, element, "item", $"An element of {type.Symbol.Name}");
        code.Close().Line("context.LeaveNested();").Close().Line();

        OpenRead(code, type)
            .Line("reader.EnterNested();")
            .Line("int count = reader.ReadCount();");
        CodecEmitter.ReadItems(code, type, ReadElement(element));
        code.Line("reader.LeaveNested();")
            .Line("return items;")
            .Close()
            .Line();
    }

    private static void Map(CodeWriter code, TypeModel type)
    {
        TypeModel value = type.Element!;
        OpenWrite(code, type)
            .Line("context.EnterNested();")
            .Line("writer.WriteCount(value.Count);")
            .Open("foreach (var entry in value)")
            .Line("writer.WriteString(entry.Key);");
        WriteElement(code, value, "entry.Value", $"A value of {type.Symbol.Name}");
        code.Close().Line("context.LeaveNested();").Close().Line();

        OpenRead(code, type)
            .Line("reader.EnterNested();")
            .Line("int count = reader.ReadCount();")
            .Line($"var map = new global::System.Collections.Generic.Dictionary<string, {value.TypeText}>(count, global::System.StringComparer.Ordinal);")
            .Open("for (int i = 0; i < count; i++)")
            .Line("int at = reader.Consumed;")
            .Line("string key = reader.ReadString();")
            .Open($"if (!map.TryAdd(key, {ReadElement(value)}))")
            .Line($"throw {Binary}.DuplicateKey(key, at);")
            .Close()
            .Close()
            .Line("reader.LeaveNested();")
            .Line("return map;")
            .Close()
            .Line();
    }

    // An element of a list or map: a nullable one is a bool, then the value when it is true.
    private static void WriteElement(CodeWriter code, TypeModel type, string value, string where)
    {
        if (!type.Nullable)
        {
            WriteCore(code, type, value, where);
            return;
        }

        string local = code.UniqueName("__e");
        code.Open($"if ({value} is {{ }} {local})").Line("writer.WriteBool(true);");
        WriteCore(code, type.Underlying!, local, where, check: false);
        code.Close().Open("else").Line("writer.WriteBool(false);").Close();
    }

    private static string ReadElement(TypeModel type) =>
        type.Nullable ? $"(reader.ReadBool() ? {ReadCore(type.Underlying!)} : default({type.TypeText}))" : ReadCore(type);

    // A value that is not null: a reference the contract says cannot be null is checked here, with a clear error, unless
    // it was just tested (checked false).
    private static void WriteCore(CodeWriter code, TypeModel type, string value, string where, bool check = true)
    {
        if (check && type.Symbol.IsReferenceType && type.Kind is not (WireKind.AnyValue or WireKind.RawValue))
        {
            value = $"({value} ?? throw {Binary}.UnexpectedNull({CodecEmitter.Literal(where)}))";
        }

        code.Line(type.Kind switch
        {
            WireKind.Bool => $"writer.WriteBool({value});",
            WireKind.SByte or WireKind.Int16 or WireKind.Int32 => $"writer.WriteInt32({value});",
            WireKind.Int64 => $"writer.WriteInt64({value});",
            WireKind.Byte or WireKind.UInt16 or WireKind.UInt32 or WireKind.Char => $"writer.WriteUInt32({value});",
            WireKind.UInt64 => $"writer.WriteUInt64({value});",
            WireKind.Float32 => $"writer.WriteFloat32({value});",
            WireKind.Float64 => $"writer.WriteFloat64({value});",
            WireKind.String => $"writer.WriteString({value});",
            WireKind.DateTime => $"{Binary}.WriteDateTime(ref writer, {value});",
            WireKind.DateTimeOffset => $"{Binary}.WriteDateTime(ref writer, {value}.UtcDateTime);",
            WireKind.Guid => $"{Binary}.WriteGuid(ref writer, {value});",
            WireKind.ByteArray => $"writer.WriteBytes({value});",
            WireKind.ReadOnlyMemory or WireKind.Memory => $"writer.WriteBytes({value}.Span);",
            WireKind.AnyValue => $"{Typed}.TypedWriteContext.WriteBinaryAny(ref writer, {value});",
            WireKind.RawValue => $"writer.WriteAny({value});",
            WireKind.Enum => type.EnumUnderlying switch
            {
                WireKind.Int64 => $"writer.WriteInt64((long){value});",
                WireKind.Byte or WireKind.UInt16 or WireKind.UInt32 => $"writer.WriteUInt32((uint){value});",
                WireKind.UInt64 => $"writer.WriteUInt64((ulong){value});",
                _ => $"writer.WriteInt32((int){value});",
            },
            _ => $"WriteBinary_{type.CodecName}(ref writer, {value}, context);",
        });
    }

    private static string ReadCore(TypeModel type) => type.Kind switch
    {
        WireKind.Bool => "reader.ReadBool()",
        WireKind.SByte => $"{Binary}.ReadSByte(ref reader)",
        WireKind.Int16 => $"{Binary}.ReadInt16(ref reader)",
        WireKind.Int32 => "reader.ReadInt32()",
        WireKind.Int64 => "reader.ReadInt64()",
        WireKind.Byte => $"{Binary}.ReadByte(ref reader)",
        WireKind.UInt16 => $"{Binary}.ReadUInt16(ref reader)",
        WireKind.UInt32 => "reader.ReadUInt32()",
        WireKind.UInt64 => "reader.ReadUInt64()",
        WireKind.Char => $"{Binary}.ReadChar(ref reader)",
        WireKind.Float32 => "reader.ReadFloat32()",
        WireKind.Float64 => "reader.ReadFloat64()",
        WireKind.String => "reader.ReadString()",
        WireKind.DateTime => $"{Binary}.ReadDateTime(ref reader)",
        WireKind.DateTimeOffset => $"{Binary}.ReadDateTimeOffset(ref reader)",
        WireKind.Guid => $"{Binary}.ReadGuid(ref reader)",
        WireKind.ByteArray => "reader.ReadBytes().ToArray()",
        WireKind.ReadOnlyMemory => "context.BinaryBytes(reader.ReadBytes())",
        WireKind.Memory => "new global::System.Memory<byte>(reader.ReadBytes().ToArray())",
        WireKind.AnyValue => "context.ReadBinaryAny(ref reader)",
        WireKind.RawValue => $"{CodecEmitter.MsgPack}.RawMsgPack.Create(reader.ReadAny().Bytes.ToArray())",
        WireKind.Enum => $"({type.TypeText}){ReadCore(new TypeModel(type.EnumUnderlying, type.Symbol, string.Empty))}",
        _ => $"ReadBinary_{type.CodecName}(ref reader, context)",
    };
}
