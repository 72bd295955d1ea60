using System.Globalization;

namespace Hypha.Protocol.Generator;

/// <summary>
/// Writes how the values of a contract are read and written: scalars inline (straight calls on <c>MsgPackReader</c>
/// and <c>MsgPackWriter</c>), and a pair of static functions for every complex type (enums by name, records as maps
/// with snake_case keys, sequences, maps, callbacks, streams). No reflection, no lookup by name, no boxing.
/// </summary>
internal static class CodecEmitter
{
    public const string Typed = "global::Hypha.Client.Typed";
    public const string MsgPack = "global::Hypha.Protocol.MsgPack";
    private const string Values = Typed + ".TypedValues";

    /// <summary>An expression that reads <paramref name="type"/> from the reader variable <paramref name="reader"/>.</summary>
    public static string Read(TypeModel type, string reader, string context)
    {
        if (type.Nullable)
        {
            return $"({reader}.TryReadNil() ? default({type.TypeText}) : {Read(type.Underlying!, reader, context)})";
        }

        return type.Kind switch
        {
            WireKind.Bool => $"{reader}.ReadBoolean()",
            WireKind.SByte => $"{Values}.ReadSByte(ref {reader})",
            WireKind.Byte => $"{Values}.ReadByte(ref {reader})",
            WireKind.Int16 => $"{Values}.ReadInt16(ref {reader})",
            WireKind.UInt16 => $"{Values}.ReadUInt16(ref {reader})",
            WireKind.Int32 => $"{Values}.ReadInt32(ref {reader})",
            WireKind.UInt32 => $"{Values}.ReadUInt32(ref {reader})",
            WireKind.Int64 => $"{Values}.ReadInt64(ref {reader})",
            WireKind.UInt64 => $"{Values}.ReadUInt64(ref {reader})",
            WireKind.Float32 => $"{reader}.ReadSingle()",
            WireKind.Float64 => $"{reader}.ReadDouble()",
            WireKind.Char => $"{Values}.ReadChar(ref {reader})",
            WireKind.String => $"{Values}.ReadString(ref {reader})",
            WireKind.DateTime => $"{Values}.ReadDateTime(ref {reader})",
            WireKind.DateTimeOffset => $"{Values}.ReadDateTimeOffset(ref {reader})",
            WireKind.Guid => $"{Values}.ReadGuid(ref {reader})",
            WireKind.ByteArray => $"{context}.ReadBytes(ref {reader}).ToArray()",
            WireKind.ReadOnlyMemory => $"{context}.ReadBytes(ref {reader})",
            WireKind.Memory => $"new global::System.Memory<byte>({context}.ReadBytes(ref {reader}).ToArray())",
            WireKind.AnyValue => $"{MsgPack}.MsgPackValue.Read(ref {reader})",
            WireKind.RawValue => $"{Values}.ReadRaw(ref {reader})",
            _ => $"Read_{type.CodecName}(ref {reader}, {context})",
        };
    }

    /// <summary>Writes the statements that write <paramref name="value"/> of <paramref name="type"/> with the writer variable <c>writer</c>.</summary>
    public static void Write(CodeWriter code, TypeModel type, string value, string context)
    {
        TypeModel core = type.Underlying ?? type;
        bool checksNull = type.Nullable || (core.Symbol.IsReferenceType && !core.IsComplex && core.Kind != WireKind.String);
        if (checksNull)
        {
            string local = code.UniqueName("__v");
            code.Open($"if ({value} is {{ }} {local})");
            WriteCore(code, core, local, context);
            code.Close().Open("else").Line("writer.WriteNil();").Close();
            return;
        }

        WriteCore(code, core, value, context);
    }

    private static void WriteCore(CodeWriter code, TypeModel type, string value, string context)
    {
        code.Line(type.Kind switch
        {
            WireKind.Bool => $"writer.Write({value});",
            WireKind.SByte or WireKind.Int16 or WireKind.Int32 or WireKind.Int64 => $"writer.Write((long){value});",
            WireKind.Byte or WireKind.UInt16 or WireKind.UInt32 or WireKind.UInt64 => $"writer.Write((ulong){value});",
            WireKind.Float32 => $"writer.Write((float){value});",
            WireKind.Float64 => $"writer.Write((double){value});",
            WireKind.Char or WireKind.Guid => $"writer.Write({value}.ToString());",
            WireKind.String => $"writer.Write({value});",
            WireKind.DateTime => $"writer.Write({value});",
            WireKind.DateTimeOffset => $"writer.Write({value}.UtcDateTime);",
            WireKind.ByteArray or WireKind.ReadOnlyMemory or WireKind.Memory => $"{context}.WriteBytes(ref writer, {value});",
            WireKind.AnyValue => $"{value}.WriteTo(ref writer);",
            WireKind.RawValue => $"writer.WriteRaw({value}.Bytes.Span);",
            _ => $"Write_{type.CodecName}(ref writer, {value}, {context});",
        });
    }

    /// <summary>The read and write functions (and static delegates) of one complex type.</summary>
    public static void EmitCodec(CodeWriter code, TypeModel type)
    {
        switch (type.Kind)
        {
            case WireKind.Enum: Enum(code, type); break;
            case WireKind.Sequence: Sequence(code, type); break;
            case WireKind.Map: Map(code, type); break;
            case WireKind.Record: Record(code, type); break;
            case WireKind.Callback: Callback(code, type); break;
            case WireKind.Stream: Stream(code, type); break;
        }
    }

    private static CodeWriter OpenRead(CodeWriter code, TypeModel type) =>
        code.Open($"private static {type.TypeText} Read_{type.CodecName}(ref {MsgPack}.MsgPackReader reader, {Typed}.TypedReadContext context)");

    private static CodeWriter OpenWrite(CodeWriter code, TypeModel type) =>
        code.Open($"private static void Write_{type.CodecName}(ref {MsgPack}.MsgPackWriter writer, {type.TypeText} value, {Typed}.TypedWriteContext context)");

    private static void NilWhenNull(CodeWriter code, TypeModel type)
    {
        if (!type.IsValueType)
        {
            code.Open("if (value is null)").Line("writer.WriteNil();").Line("return;").Close().Line();
        }
    }

    private static void Enum(CodeWriter code, TypeModel type)
    {
        string name = type.Symbol.Name;
        OpenRead(code, type)
            .Open($"if (reader.NextType == {MsgPack}.MsgPackType.String)")
            .Line("long at = reader.Consumed;")
            .Line($"string name = {Values}.ReadString(ref reader);");
        foreach (EnumMember member in type.Members)
        {
            string condition = $"string.Equals(name, {Literal(member.WireName)}, global::System.StringComparison.OrdinalIgnoreCase)";
            if (member.WireName != member.Name)
            {
                condition += $" || string.Equals(name, {Literal(member.Name)}, global::System.StringComparison.OrdinalIgnoreCase)";
            }

            code.Open($"if ({condition})").Line($"return {type.TypeText}.@{member.Name};").Close();
        }

        var underlying = new TypeModel(type.EnumUnderlying, type.Symbol, string.Empty);
        code.Line($"throw {Values}.UnknownMember({Literal(name)}, name, at);")
            .Close()
            .Line()
            .Line($"return ({type.TypeText}){Read(underlying, "reader", "context")};")
            .Close()
            .Line();

        bool unsigned = type.EnumUnderlying is WireKind.Byte or WireKind.UInt16 or WireKind.UInt32 or WireKind.UInt64;
        OpenWrite(code, type).Open("switch (value)");
        var written = new HashSet<string>(StringComparer.Ordinal);
        foreach (EnumMember member in type.Members)
        {
            // Members that share a value (aliases) are one case: the first one's name is written.
            if (written.Add(Convert.ToString(member.Value, CultureInfo.InvariantCulture) ?? string.Empty))
            {
                code.Line($"case {type.TypeText}.@{member.Name}:").Line($"    writer.Write({Literal(member.WireName)});").Line("    return;");
            }
        }

        code.Line("default:")
            .Line(unsigned ? "    writer.Write((ulong)value);" : "    writer.Write((long)value);")
            .Line("    return;")
            .Close()
            .Close()
            .Line();
    }

    private static void Sequence(CodeWriter code, TypeModel type)
    {
        TypeModel element = type.Element!;
        OpenRead(code, type)
            .Line("int count = reader.ReadArrayHeader();")
            .Line("reader.EnterNested();");
        ReadItems(code, type, Read(element, "reader", "context"));
        code.Line("reader.LeaveNested();")
            .Line("return items;")
            .Close()
            .Line();

        OpenWrite(code, type);
        NilWhenNull(code, type);
        (string items, string count) = ItemsToWrite(code, type);
        code.Line("context.EnterNested();")
            .Line($"writer.WriteArrayHeader({count});")
            .Open($"foreach (var item in {items})");
        Write(code, element, "item", "context");
        code.Close()
            .Line("context.LeaveNested();")
            .Close()
            .Line();
    }

    /// <summary>Reads <c>count</c> elements of a sequence into <c>items</c>, each with the expression <paramref name="readElement"/>.</summary>
    public static void ReadItems(CodeWriter code, TypeModel type, string readElement) =>
        code.Line(type.Shape == SequenceShape.List
                ? $"var items = new global::System.Collections.Generic.List<{type.Element!.TypeText}>(count);"
                : $"var items = {NewArray(type.Element!.TypeText, "count")};")
            .Open("for (int i = 0; i < count; i++)")
            .Line(type.Shape == SequenceShape.List ? $"items.Add({readElement});" : $"items[i] = {readElement};")
            .Close();

    /// <summary>What a sequence's writer walks and counts (an <c>IEnumerable&lt;T&gt;</c> is materialised first, once).</summary>
    public static (string Items, string Count) ItemsToWrite(CodeWriter code, TypeModel type)
    {
        if (type.Shape != SequenceShape.Enumerable)
        {
            return ("value", type.Symbol is Microsoft.CodeAnalysis.IArrayTypeSymbol ? "value.Length" : "value.Count");
        }

        code.Line($"var items = value as global::System.Collections.Generic.IReadOnlyCollection<{type.Element!.TypeText}> ?? global::System.Linq.Enumerable.ToArray(value);");
        return ("items", "items.Count");
    }

    private static void Map(CodeWriter code, TypeModel type)
    {
        TypeModel value = type.Element!;
        OpenRead(code, type)
            .Line("int count = reader.ReadMapHeader();")
            .Line("reader.EnterNested();")
            .Line($"var map = new global::System.Collections.Generic.Dictionary<string, {value.TypeText}>(count, global::System.StringComparer.Ordinal);")
            .Open("for (int i = 0; i < count; i++)")
            .Line("long at = reader.Consumed;")
            .Line($"string key = {Values}.ReadString(ref reader);")
            .Open($"if (!map.TryAdd(key, {Read(value, "reader", "context")}))")
            .Line($"throw new {MsgPack}.MsgPackException($\"The map key \\\"{{key}}\\\" appears twice\", at);")
            .Close()
            .Close()
            .Line("reader.LeaveNested();")
            .Line("return map;")
            .Close()
            .Line();

        OpenWrite(code, type);
        NilWhenNull(code, type);
        code.Line("context.EnterNested();")
            .Line("writer.WriteMapHeader(value.Count);")
            .Open("foreach (var entry in value)")
            .Line("writer.Write(entry.Key);");
        Write(code, value, "entry.Value", "context");
        code.Close()
            .Line("context.LeaveNested();")
            .Close()
            .Line();
    }

    private static void Record(CodeWriter code, TypeModel type)
    {
        string label = type.Symbol.Name;
        OpenRead(code, type);
        if (type.HasBinaryForm)
        {
            code.Open($"if (reader.NextType == {MsgPack}.MsgPackType.Extension)")
                .Line($"return context.ReadBinaryRecord(ref reader, BinaryReader_{type.CodecName}, {Literal(label)});")
                .Close();
        }

        code.Line("long at = reader.Consumed;")
            .Line("int count = reader.ReadMapHeader();")
            .Line("reader.EnterNested();");
        for (int f = 0; f < type.Fields.Count; f++)
        {
            code.Line($"{type.Fields[f].Type.TypeText} f{f} = default!;").Line($"bool has{f} = false;");
        }

        code.Open("for (int i = 0; i < count; i++)")
            .Line("long keyAt = reader.Consumed;")
            .Line("global::System.Buffers.ReadOnlySequence<byte> keyBytes = reader.ReadStringSequence();")
            .Line("global::System.ReadOnlySpan<byte> key = keyBytes.IsSingleSegment ? keyBytes.FirstSpan : global::System.Buffers.BuffersExtensions.ToArray(keyBytes);");
        for (int f = 0; f < type.Fields.Count; f++)
        {
            FieldModel field = type.Fields[f];
            code.Open($"if (global::System.MemoryExtensions.SequenceEqual(key, {CSharpNames.Utf8Literal(field.WireName)}))");
            ReadField(code, type, f);
            code.Close();
        }

        // Other spellings (camelCase from JavaScript, PascalCase from .NET), then keys this side does not know: skipped.
        code.Line("string name = global::System.Text.Encoding.UTF8.GetString(key);");
        for (int f = 0; f < type.Fields.Count; f++)
        {
            code.Open($"if ({Values}.SameName(name, {Literal(type.Fields[f].WireName)}))");
            ReadField(code, type, f);
            code.Close();
        }

        code.Line("reader.Skip();").Close().Line("reader.LeaveNested();");
        for (int f = 0; f < type.Fields.Count; f++)
        {
            FieldModel field = type.Fields[f];
            if (field.Required)
            {
                code.Open($"if (!has{f})").Line($"throw {Values}.MissingField({Literal(label)}, {Literal(field.WireName)}, at);").Close();
            }
        }

        Construct(code, type);
        code.Line("return value;").Close().Line();

        OpenWrite(code, type);
        NilWhenNull(code, type);
        if (type.HasBinaryForm)
        {
            code.Open("if (context.WritesBinaryRecords)")
                .Line($"context.WriteBinaryRecord(ref writer, value, BinaryWriter_{type.CodecName});")
                .Line("return;")
                .Close()
                .Line();
        }

        code.Line("context.EnterNested();").Line($"writer.WriteMapHeader({type.Fields.Count});");
        for (int f = 0; f < type.Fields.Count; f++)
        {
            FieldModel field = type.Fields[f];
            code.Line($"writer.WriteRaw(Key_{type.CodecName}_{f});");
            Write(code, field.Type, $"value.@{field.Name}", "context");
        }

        code.Line("context.LeaveNested();").Close().Line();
        for (int f = 0; f < type.Fields.Count; f++)
        {
            code.Line($"private static global::System.ReadOnlySpan<byte> Key_{type.CodecName}_{f} => {CSharpNames.EncodedKey(type.Fields[f].WireName)};");
        }

        code.Line();
    }

    private static void ReadField(CodeWriter code, TypeModel type, int f) =>
        code.Open($"if (has{f})")
            .Line($"throw new {MsgPack}.MsgPackException({Literal($"{type.Symbol.Name} has the field '{type.Fields[f].WireName}' twice")}, keyAt);")
            .Close()
            .Line($"f{f} = {Read(type.Fields[f].Type, "reader", "context")};")
            .Line($"has{f} = true;")
            .Line("continue;");

    // Constructor parameters, then init-only and required properties in the initializer, then the settable ones; a
    // record's optional init-only properties through 'with', so that their declared defaults stay when the map lacks them.
    // With allPresent (the binary form, which holds every field) there is nothing to test, and every init-only property
    // goes in the initializer.
    public static void Construct(CodeWriter code, TypeModel type, bool allPresent = false)
    {
        string Value(FieldModel field) => $"f{type.Fields.IndexOf(field)}";
        string Has(FieldModel field) => $"has{type.Fields.IndexOf(field)}";
        string Given(FieldModel field, string otherwise) => field.Required || allPresent ? Value(field) : $"{Has(field)} ? {Value(field)} : {otherwise}";
        IEnumerable<string> arguments = type.ConstructorFields.Select(field => Given(field, field.DefaultText ?? "default!"));
        var initializers = type.Fields
            .Where(f => f.Setter == FieldSetter.Init && (f.Required || !type.IsRecord || allPresent))
            .Select(field => $"@{field.Name} = {Given(field, "default!")}")
            .ToList();
        string initializer = initializers.Count > 0 ? $" {{ {string.Join(", ", initializers)} }}" : string.Empty;
        code.Line($"{type.TypeText} value = new {type.TypeText}({string.Join(", ", arguments)}){initializer};");
        foreach (FieldModel field in type.Fields)
        {
            string? assignment = field.Setter == FieldSetter.Set ? $"value.@{field.Name} = {Value(field)};"
                : field.Setter == FieldSetter.Init && !field.Required && type.IsRecord && !allPresent ? $"value = value with {{ @{field.Name} = {Value(field)} }};"
                : null;
            if (assignment is null)
            {
                continue;
            }

            if (allPresent)
            {
                code.Line(assignment);
            }
            else
            {
                code.Open($"if ({Has(field)})").Line(assignment).Close();
            }
        }
    }

    private static void Callback(CodeWriter code, TypeModel type)
    {
        string parameters = string.Join(", ", type.Parameters.Select((p, i) => $"{p.Type.TypeText} a{i}"));
        OpenRead(code, type)
            .Line("long at = reader.Consumed;")
            .Line($"{Typed}.TypedRemoteFunction function = context.ReadFunction(ref reader) ?? throw new {MsgPack}.MsgPackException(\"Expected a function but found nil\", at);")
            .Open($"return ({parameters}) =>")
            .Line($"{Typed}.TypedOutgoingCall call = function.StartCall();")
            .Open("try")
            .Line($"{MsgPack}.MsgPackWriter writer = call.StartArguments({type.Parameters.Count});");
        for (int i = 0; i < type.Parameters.Count; i++)
        {
            Write(code, type.Parameters[i].Type, $"a{i}", "call");
        }

        code.Line("call.EndArguments(ref writer);")
            .Close()
            .Open("catch")
            .Line("call.Abandon();")
            .Line("throw;")
            .Close()
            .Line()
            .Line(type.Return switch
            {
                ReturnShape.Void => "call.Send();",
                ReturnShape.Task => "return call.InvokeAsync(default).AsTask();",
                ReturnShape.ValueTask => "return call.InvokeAsync(default);",
                ReturnShape.TaskOf => $"return call.InvokeAsync(Result_{type.CodecName}, default).AsTask();",
                _ => $"return call.InvokeAsync(Result_{type.CodecName}, default);",
            })
            .Close(";")
            .Close()
            .Line();

        OpenWrite(code, type);
        NilWhenNull(code, type);
        code.Line($"context.WriteCallback(ref writer, \"callback\", new {Typed}.TypedCallback(value, Invoke_{type.CodecName}, Records));")
            .Close()
            .Line();

        if (type.Result is { } result)
        {
            ReaderField(code, $"Result_{type.CodecName}", result);
        }

        code.Open($"private static global::System.Threading.Tasks.ValueTask Invoke_{type.CodecName}(object target, {Typed}.TypedRequest request, {Typed}.TypedResponse response, global::System.Threading.CancellationToken cancellationToken)")
            .Line($"var callback = ({type.TypeText})target;");
        string call = $"callback({string.Join(", ", type.Parameters.Select((_, i) => $"p{i}"))})";
        DispatchEmitter.EmitInvocation(code, "callback", $"Parameters_{type.CodecName}", type.Parameters, call, type.Return, type.Result, type.CodecName!);
        code.Close().Line();
        DispatchEmitter.EmitCompletion(code, type.Return, type.Result, type.CodecName!);
        code.Line($"private static readonly string[] Parameters_{type.CodecName} = [{string.Join(", ", type.Parameters.Select(p => Literal(p.WireName)))}];").Line();
    }

    private static void Stream(CodeWriter code, TypeModel type)
    {
        OpenRead(code, type)
            .Line("long at = reader.Consumed;")
            .Line($"return context.ReadStream(ref reader, Items_{type.CodecName}) ?? throw new {MsgPack}.MsgPackException(\"Expected a stream but found nil\", at);")
            .Close()
            .Line();
        OpenWrite(code, type)
            .Line($"context.WriteStream(ref writer, value, ItemWriter_{type.CodecName});")
            .Close()
            .Line();
        ReaderField(code, $"Items_{type.CodecName}", type.Element!);
        code.Open($"private static readonly {Typed}.TypedValueWriter<{type.Element!.TypeText}> ItemWriter_{type.CodecName} = static (ref {MsgPack}.MsgPackWriter writer, {type.Element.TypeText} item, {Typed}.TypedWriteContext context) =>");
        Write(code, type.Element, "item", "context");
        code.Close(";").Line();
    }

    /// <summary>A static reader delegate of <paramref name="type"/> (results, stream items).</summary>
    public static void ReaderField(CodeWriter code, string name, TypeModel type) =>
        code.Line($"private static readonly {Typed}.TypedValueReader<{type.TypeText}> {name} = static (ref {MsgPack}.MsgPackReader reader, {Typed}.TypedReadContext context) => {Read(type, "reader", "context")};")
            .Line();

    public static string Literal(string text) => Microsoft.CodeAnalysis.CSharp.SymbolDisplay.FormatLiteral(text, quote: true);

    // new T[count] for any element type, arrays of arrays included: the count goes in the first brackets.
    private static string NewArray(string elementText, string count)
    {
        string text = elementText;
        string ranks = string.Empty;
        while (text.EndsWith("[]", StringComparison.Ordinal) || text.EndsWith("[]?", StringComparison.Ordinal))
        {
            int cut = text.EndsWith("?", StringComparison.Ordinal) ? 3 : 2;
            ranks = "[]" + ranks;
            text = text.Substring(0, text.Length - cut);
        }

        return $"new {text}[{count}]{ranks}";
    }
}
