using Microsoft.CodeAnalysis;

namespace Hypha.Protocol.Generator;

/// <summary>What a type of a typed contract is on the wire: how the generated code reads, writes and describes it.</summary>
internal enum WireKind
{
    Bool,
    SByte,
    Byte,
    Int16,
    UInt16,
    Int32,
    UInt32,
    Int64,
    UInt64,
    Float32,
    Float64,
    Char,
    String,
    DateTime,
    DateTimeOffset,
    Guid,
    ByteArray,
    ReadOnlyMemory,
    Memory,
    AnyValue,
    RawValue,
    Enum,
    Sequence,
    Map,
    Record,
    Callback,
    Stream,
}

/// <summary>How a sequence type is built when read.</summary>
internal enum SequenceShape
{
    /// <summary><c>T[]</c>, and the read-only interfaces (<c>IEnumerable&lt;T&gt;</c>, <c>IReadOnlyList&lt;T&gt;</c>...): an array.</summary>
    Array,
    /// <summary><c>List&lt;T&gt;</c>, <c>IList&lt;T&gt;</c>, <c>ICollection&lt;T&gt;</c>: a list.</summary>
    List,
    /// <summary><c>IEnumerable&lt;T&gt;</c> when written: counted by materialising it.</summary>
    Enumerable,
}

/// <summary>What a callback delegate returns.</summary>
internal enum ReturnShape
{
    Void,
    Task,
    ValueTask,
    TaskOf,
    ValueTaskOf,
    Stream,
}

/// <summary>
/// One type of a contract, classified once (the classifier memoises by symbol, so recursive records share their
/// model). Complex kinds get read and write functions of their own in the generated code, named by <see cref="CodecName"/>.
/// </summary>
internal sealed class TypeModel
{
    public TypeModel(WireKind kind, ITypeSymbol symbol, string typeText)
    {
        Kind = kind;
        Symbol = symbol;
        TypeText = typeText;
    }

    public WireKind Kind { get; }

    public ITypeSymbol Symbol { get; }

    /// <summary>The fully qualified C# type, nullable annotations included.</summary>
    public string TypeText { get; }

    /// <summary>True when nil reads as null (a <c>Nullable&lt;T&gt;</c>, or a reference type annotated or oblivious).</summary>
    public bool Nullable { get; set; }

    /// <summary>For <c>Nullable&lt;T&gt;</c>: the model of T, whose value the reader produces.</summary>
    public TypeModel? Underlying { get; set; }

    /// <summary>The element of a sequence or stream, the value of a map.</summary>
    public TypeModel? Element { get; set; }

    public SequenceShape Shape { get; set; }

    /// <summary>The name of the generated read/write functions of a complex kind, or null for the scalars (read and written inline).</summary>
    public string? CodecName { get; set; }

    /// <summary>An enum's members: C# name, wire name, constant value (as written in C#).</summary>
    public List<EnumMember> Members { get; } = [];

    /// <summary>The underlying integer kind of an enum.</summary>
    public WireKind EnumUnderlying { get; set; }

    /// <summary>A record's fields.</summary>
    public List<FieldModel> Fields { get; } = [];

    /// <summary>A record's constructor parameters, in order, each naming its field.</summary>
    public List<FieldModel> ConstructorFields { get; } = [];

    /// <summary>True for a record type (<c>with</c> sets its init-only properties).</summary>
    public bool IsRecord { get; set; }

    public bool IsValueType => Symbol.IsValueType;

    /// <summary>A record's or enum's XML doc summary.</summary>
    public string? Description { get; set; }

    /// <summary>A callback's parameters and return.</summary>
    public List<ParameterModel> Parameters { get; } = [];

    public ReturnShape Return { get; set; }

    /// <summary>A callback's result type (for TaskOf/ValueTaskOf).</summary>
    public TypeModel? Result { get; set; }

    /// <summary>
    /// True for an enum, list, map or record that has a binary form (no callback or stream reachable from it): a record
    /// of this kind travels as an ext with its binary body between peers that agreed on the contract's record fingerprint.
    /// </summary>
    public bool HasBinaryForm { get; set; }

    /// <summary>True when the type needs generated functions of its own.</summary>
    public bool IsComplex => Kind is WireKind.Enum or WireKind.Sequence or WireKind.Map or WireKind.Record or WireKind.Callback or WireKind.Stream;
}

internal sealed class EnumMember
{
    public EnumMember(string name, string wireName, object? value)
    {
        Name = name;
        WireName = wireName;
        Value = value;
    }

    public string Name { get; }

    public string WireName { get; }

    public object? Value { get; }
}

/// <summary>How a record's field is set when read.</summary>
internal enum FieldSetter
{
    /// <summary>Only read (a computed property): written, never read back.</summary>
    None,
    /// <summary>A constructor parameter.</summary>
    Constructor,
    /// <summary>A settable property, assigned after construction.</summary>
    Set,
    /// <summary>An init-only or required property: in the object initializer (a record's optional one through <c>with</c>).</summary>
    Init,
}

internal sealed class FieldModel
{
    public FieldModel(string name, string wireName, TypeModel type)
    {
        Name = name;
        WireName = wireName;
        Type = type;
    }

    /// <summary>The C# property name.</summary>
    public string Name { get; }

    public string WireName { get; }

    public TypeModel Type { get; }

    public FieldSetter Setter { get; set; }

    public bool Required { get; set; }

    /// <summary>A constructor parameter's default value as C# text, or null when it has none.</summary>
    public string? DefaultText { get; set; }

    public string? Description { get; set; }
}

internal sealed class ParameterModel
{
    public ParameterModel(string name, string wireName, TypeModel type)
    {
        Name = name;
        WireName = wireName;
        Type = type;
    }

    /// <summary>The C# parameter name.</summary>
    public string Name { get; }

    public string WireName { get; }

    public TypeModel Type { get; }

    /// <summary>The default value as C# text, or null when the parameter has none.</summary>
    public string? DefaultText { get; set; }

    public string? Description { get; set; }

    /// <summary>True when a caller must give it: no default, and nil is not a value of it.</summary>
    public bool IsRequired => DefaultText is null && !Type.Nullable;
}
