using Hypha.Protocol.Schemas;

namespace Hypha.Protocol.Generator;

/// <summary>
/// Which types of a contract have a binary form (records, and the enums, lists and maps inside them, unless a callback
/// or stream is reachable from them: those need the msgpack form's session), which methods can carry such records (in
/// their arguments, result, streams or the calls of their callbacks), and
/// the contract's record fingerprint: a hash of the shape of every record with a binary form (wire names, field order,
/// types, nullability, nesting). Two builds of one contract have the same fingerprint; any change of a record's shape
/// changes it. Names of C# types other than records and enums, namespaces and method signatures do not count.
/// </summary>
internal static class RecordBinaryForm
{
    /// <summary>Marks <see cref="TypeModel.HasBinaryForm"/> on every complex type and returns the fingerprint, or null when no record has a binary form.</summary>
    public static string? Analyse(ContractModel contract)
    {
        IReadOnlyList<TypeModel> complex = contract.Types.Complex;
        foreach (TypeModel type in complex)
        {
            type.HasBinaryForm = type.Kind is WireKind.Enum or WireKind.Sequence or WireKind.Map or WireKind.Record;
        }

        // A type loses its binary form when one of its parts has none, until nothing changes (records may be recursive).
        bool changed = true;
        while (changed)
        {
            changed = false;
            foreach (TypeModel type in complex)
            {
                if (type.HasBinaryForm && !Parts(type).All(HasBinaryForm))
                {
                    type.HasBinaryForm = false;
                    changed = true;
                }
            }
        }

        // Lists and maps get binary codecs only where a binary record holds them.
        var held = new HashSet<TypeModel>();
        foreach (TypeModel record in complex.Where(t => t.Kind == WireKind.Record && t.HasBinaryForm))
        {
            Hold(record, held);
        }

        foreach (TypeModel type in complex.Where(t => t.Kind is WireKind.Sequence or WireKind.Map && !held.Contains(t)))
        {
            type.HasBinaryForm = false;
        }

        List<string> shapes = complex.Where(t => t.Kind == WireKind.Record && t.HasBinaryForm).Select(Shape).ToList();
        if (shapes.Count == 0)
        {
            return null;
        }

        shapes.Sort(StringComparer.Ordinal);
        return SchemaSet.FingerprintOf("hypha-records/1\n" + string.Join("\n", shapes));
    }

    /// <summary>The fields of a record that its binary form holds, in order: those it can be built with (computed properties are left out).</summary>
    public static IEnumerable<FieldModel> Fields(TypeModel record) => record.Fields.Where(f => f.Setter != FieldSetter.None);

    /// <summary>True when a method's arguments, result, streams or callbacks can hold a record with a binary form.</summary>
    public static bool CarriesRecords(MethodModel method)
    {
        var seen = new HashSet<TypeModel>();
        return method.Parameters.Any(p => Reaches(p.Type, seen)) || (method.Result is { } result && Reaches(result, seen));
    }

    private static bool Reaches(TypeModel type, HashSet<TypeModel> seen)
    {
        TypeModel core = type.Underlying ?? type;
        if (!seen.Add(core))
        {
            return false;
        }

        return core.Kind switch
        {
            WireKind.Record => core.HasBinaryForm || core.Fields.Any(f => Reaches(f.Type, seen)),
            WireKind.Sequence or WireKind.Map or WireKind.Stream => Reaches(core.Element!, seen),
            WireKind.Callback => core.Parameters.Any(p => Reaches(p.Type, seen)) || (core.Result is { } result && Reaches(result, seen)),
            _ => false,
        };
    }

    private static void Hold(TypeModel type, HashSet<TypeModel> held)
    {
        TypeModel core = type.Underlying ?? type;
        if (core.IsComplex && held.Add(core))
        {
            foreach (TypeModel part in Parts(core))
            {
                Hold(part, held);
            }
        }
    }

    private static bool HasBinaryForm(TypeModel type)
    {
        TypeModel core = type.Underlying ?? type;
        return !core.IsComplex || core.HasBinaryForm;
    }

    private static IEnumerable<TypeModel> Parts(TypeModel type) => type.Kind switch
    {
        WireKind.Sequence or WireKind.Map => [type.Element!],
        WireKind.Record => Fields(type).Select(f => f.Type),
        _ => [],
    };

    // One record's shape: its name, then each field's wire name and type, in the order the binary form writes them.
    private static string Shape(TypeModel record) =>
        $"record {record.Symbol.Name} {{ {string.Join("; ", Fields(record).Select(f => $"{f.WireName}: {Canonical(f.Type)}"))} }}";

    private static string Canonical(TypeModel type)
    {
        if (type.Nullable)
        {
            return Canonical(type.Underlying!) + "?";
        }

        return type.Kind switch
        {
            WireKind.ByteArray or WireKind.ReadOnlyMemory or WireKind.Memory => "bytes",
            WireKind.Enum => $"enum {type.Symbol.Name}: {type.EnumUnderlying} ({string.Join(", ", type.Members.Select(m => $"{m.Name} = {Convert.ToString(m.Value, System.Globalization.CultureInfo.InvariantCulture)}"))})",
            WireKind.Sequence => $"list<{Canonical(type.Element!)}>",
            WireKind.Map => $"map<string, {Canonical(type.Element!)}>",
            WireKind.Record => type.Symbol.Name,
            _ => type.Kind.ToString(),
        };
    }
}
