using System.Threading;
using Hypha.Protocol.Schemas;
using Microsoft.CodeAnalysis;

namespace Hypha.Protocol.Generator;

/// <summary>A type a contract cannot carry, and why (the analyzer turns it into a diagnostic at the member).</summary>
internal sealed class TypeProblem
{
    public TypeProblem(DiagnosticDescriptor descriptor, string reason)
    {
        Descriptor = descriptor;
        Reason = reason;
    }

    public DiagnosticDescriptor Descriptor { get; }

    public string Reason { get; }
}

/// <summary>
/// Classifies the types of one contract (docs/typed-services.md, "Types"): scalars, strings, bytes, enums, nullable
/// values, sequences, maps with string keys, records and classes (by their public properties, read back through a
/// constructor and settable properties), callbacks (delegates) and streams. Models are memoised by symbol, so a
/// record that contains itself is classified once; a type outside these families is a <see cref="TypeProblem"/>.
/// </summary>
internal sealed class TypeClassifier
{
    private const string HyphaNameAttribute = "Hypha.Client.Typed.HyphaNameAttribute";

    private static readonly SymbolDisplayFormat TypeFormat = SymbolDisplayFormat.FullyQualifiedFormat
        .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    private readonly Compilation _compilation;
    private readonly CancellationToken _cancellationToken;
    private readonly Dictionary<ITypeSymbol, TypeModel> _models = new(SymbolEqualityComparer.IncludeNullability);
    private readonly List<TypeModel> _complex = [];

    public TypeClassifier(Compilation compilation, CancellationToken cancellationToken)
    {
        _compilation = compilation;
        _cancellationToken = cancellationToken;
    }

    /// <summary>Every complex type met so far, in the order met: each gets generated read and write functions.</summary>
    public IReadOnlyList<TypeModel> Complex => _complex;

    public static string TypeText(ITypeSymbol type) => type.ToDisplayString(TypeFormat);

    /// <summary>The wire name of a symbol: its <c>[HyphaName]</c>, or <paramref name="fallback"/>.</summary>
    public static string WireName(ISymbol symbol, string fallback)
    {
        foreach (AttributeData attribute in symbol.GetAttributes())
        {
            if (attribute.AttributeClass?.ToDisplayString() == HyphaNameAttribute
                && attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is string name)
            {
                return name;
            }
        }

        return fallback;
    }

    public static bool IsCancellationToken(ITypeSymbol type) => type.ToDisplayString() == "System.Threading.CancellationToken";

    /// <summary>True for the RPC core's <c>RpcContext</c> (nullable or not): the caller's context, not an argument.</summary>
    public static bool IsRpcContext(ITypeSymbol type) =>
        type is INamedTypeSymbol { Name: "RpcContext", ContainingNamespace: { } space } && space.ToDisplayString() == "Hypha.Client.Rpc";

    /// <summary>The model of <paramref name="type"/> as it is used (its nullability included), or null with the problem.</summary>
    public TypeModel? Classify(ITypeSymbol type, out TypeProblem? problem)
    {
        _cancellationToken.ThrowIfCancellationRequested();
        problem = null;
        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullableValue)
        {
            TypeModel? inner = Classify(nullableValue.TypeArguments[0], out problem);
            return inner is null ? null : Wrap(inner, type);
        }

        if (type.IsReferenceType && type.NullableAnnotation != NullableAnnotation.NotAnnotated)
        {
            TypeModel? core = Core(type.WithNullableAnnotation(NullableAnnotation.NotAnnotated), out problem);
            return core is null ? null : Wrap(core, type);
        }

        return Core(type, out problem);
    }

    private static TypeModel Wrap(TypeModel core, ITypeSymbol type) =>
        new(core.Kind, type, TypeText(type)) { Nullable = true, Underlying = core, CodecName = core.CodecName };

    private TypeModel? Core(ITypeSymbol type, out TypeProblem? problem)
    {
        problem = null;
        if (_models.TryGetValue(type, out TypeModel? known))
        {
            return known;
        }

        if (Scalar(type) is { } scalar)
        {
            return Remember(type, new TypeModel(scalar, type, TypeText(type)));
        }

        // Only a service method's own parameter can be the caller's context (ContractAnalyzer takes it out of the
        // arguments); anywhere else it would have to travel, and it cannot.
        if (IsRpcContext(type))
        {
            problem = Unsupported("'Hypha.Client.Rpc.RpcContext' is the caller's context: a service method may take it as a parameter, but it cannot travel in a callback, result, record or collection");
            return null;
        }

        if (!_compilation.IsSymbolAccessibleWithin(type, _compilation.Assembly))
        {
            problem = Unsupported($"'{type.ToDisplayString()}' is not accessible to the generated code");
            return null;
        }

        string definition = type.OriginalDefinition.ToDisplayString();
        switch (type)
        {
            case IArrayTypeSymbol { Rank: 1 } array:
                return Sequence(type, array.ElementType, SequenceShape.Array, out problem);
            case IArrayTypeSymbol:
                problem = Unsupported($"'{type.ToDisplayString()}': only one-dimensional arrays are supported");
                return null;
            case INamedTypeSymbol named when named.TypeKind == Microsoft.CodeAnalysis.TypeKind.Enum:
                return Enum(named);
            case INamedTypeSymbol named when named.TypeKind == Microsoft.CodeAnalysis.TypeKind.Delegate:
                return Callback(named, out problem);
            case INamedTypeSymbol named when named.IsGenericType:
                switch (definition)
                {
                    case "System.Collections.Generic.List<T>":
                    case "System.Collections.Generic.IList<T>":
                    case "System.Collections.Generic.ICollection<T>":
                        return Sequence(type, named.TypeArguments[0], SequenceShape.List, out problem);
                    case "System.Collections.Generic.IReadOnlyList<T>":
                    case "System.Collections.Generic.IReadOnlyCollection<T>":
                        return Sequence(type, named.TypeArguments[0], SequenceShape.Array, out problem);
                    case "System.Collections.Generic.IEnumerable<T>":
                        return Sequence(type, named.TypeArguments[0], SequenceShape.Enumerable, out problem);
                    case "System.Collections.Generic.Dictionary<TKey, TValue>":
                    case "System.Collections.Generic.IDictionary<TKey, TValue>":
                    case "System.Collections.Generic.IReadOnlyDictionary<TKey, TValue>":
                        return Map(named, out problem);
                    case "System.Collections.Generic.IAsyncEnumerable<T>":
                        return Stream(type, named.TypeArguments[0], out problem);
                }

                break;
        }

        return Record(type, out problem);
    }

    private static WireKind? Scalar(ITypeSymbol type)
    {
        switch (type.SpecialType)
        {
            case SpecialType.System_Boolean: return WireKind.Bool;
            case SpecialType.System_SByte: return WireKind.SByte;
            case SpecialType.System_Byte: return WireKind.Byte;
            case SpecialType.System_Int16: return WireKind.Int16;
            case SpecialType.System_UInt16: return WireKind.UInt16;
            case SpecialType.System_Int32: return WireKind.Int32;
            case SpecialType.System_UInt32: return WireKind.UInt32;
            case SpecialType.System_Int64: return WireKind.Int64;
            case SpecialType.System_UInt64: return WireKind.UInt64;
            case SpecialType.System_Single: return WireKind.Float32;
            case SpecialType.System_Double: return WireKind.Float64;
            case SpecialType.System_Char: return WireKind.Char;
            case SpecialType.System_String: return WireKind.String;
            case SpecialType.System_DateTime: return WireKind.DateTime;
        }

        if (type is IArrayTypeSymbol { Rank: 1, ElementType.SpecialType: SpecialType.System_Byte })
        {
            return WireKind.ByteArray;
        }

        switch (type.OriginalDefinition.ToDisplayString())
        {
            case "System.DateTimeOffset": return WireKind.DateTimeOffset;
            case "System.Guid": return WireKind.Guid;
            case "Hypha.Protocol.MsgPack.MsgPackValue": return WireKind.AnyValue;
            case "Hypha.Protocol.MsgPack.RawMsgPack": return WireKind.RawValue;
            case "System.ReadOnlyMemory<T>" when IsByteArgument(type): return WireKind.ReadOnlyMemory;
            case "System.Memory<T>" when IsByteArgument(type): return WireKind.Memory;
            default: return null;
        }
    }

    private static bool IsByteArgument(ITypeSymbol type) =>
        type is INamedTypeSymbol { TypeArguments.Length: 1 } named && named.TypeArguments[0].SpecialType == SpecialType.System_Byte;

    private TypeModel Remember(ITypeSymbol type, TypeModel model)
    {
        _models[type] = model;
        if (model.IsComplex)
        {
            model.CodecName = $"C{_complex.Count}_{Identifier(type.Name)}";
            _complex.Add(model);
        }

        return model;
    }

    private TypeModel? Sequence(ITypeSymbol type, ITypeSymbol element, SequenceShape shape, out TypeProblem? problem)
    {
        var model = new TypeModel(WireKind.Sequence, type, TypeText(type)) { Shape = shape };
        return Contained(type, model, element, $"the elements of '{type.ToDisplayString()}'", out problem);
    }

    private TypeModel? Stream(ITypeSymbol type, ITypeSymbol element, out TypeProblem? problem)
    {
        var model = new TypeModel(WireKind.Stream, type, TypeText(type));
        return Contained(type, model, element, $"the items of '{type.ToDisplayString()}'", out problem);
    }

    private TypeModel? Map(INamedTypeSymbol type, out TypeProblem? problem)
    {
        if (type.TypeArguments[0].SpecialType != SpecialType.System_String)
        {
            problem = Unsupported($"'{type.ToDisplayString()}': map keys must be strings (Python peers refuse others)");
            return null;
        }

        var model = new TypeModel(WireKind.Map, type, TypeText(type));
        return Contained(type, model, type.TypeArguments[1], $"the values of '{type.ToDisplayString()}'", out problem);
    }

    // Registered before its element is classified: a type that contains itself finds its own model.
    private TypeModel? Contained(ITypeSymbol type, TypeModel model, ITypeSymbol element, string what, out TypeProblem? problem)
    {
        Remember(type, model);
        model.Element = Classify(element, out problem);
        if (model.Element is null)
        {
            _models.Remove(type);
            problem = new TypeProblem(problem!.Descriptor, $"{what}: {problem.Reason}");
            return null;
        }

        return model;
    }

    private TypeModel Enum(INamedTypeSymbol type)
    {
        var model = new TypeModel(WireKind.Enum, type, TypeText(type))
        {
            EnumUnderlying = Scalar(type.EnumUnderlyingType!) ?? WireKind.Int32,
            Description = DocComments.Summary(type, _cancellationToken),
        };
        foreach (IFieldSymbol field in type.GetMembers().OfType<IFieldSymbol>().Where(f => f.HasConstantValue))
        {
            model.Members.Add(new EnumMember(field.Name, WireName(field, field.Name), field.ConstantValue));
        }

        return Remember(type, model);
    }

    private TypeModel? Callback(INamedTypeSymbol type, out TypeProblem? problem)
    {
        problem = null;
        IMethodSymbol invoke = type.DelegateInvokeMethod!;
        string name = type.ToDisplayString();
        var model = new TypeModel(WireKind.Callback, type, TypeText(type));
        (ReturnShape? shape, ITypeSymbol? result) = ReturnShapeOf(invoke.ReturnType, invoke.ReturnsVoid);
        if (shape is null or ReturnShape.Stream)
        {
            problem = new TypeProblem(TypedDiagnostics.UnsupportedCallback,
                $"the callback '{name}' returns '{invoke.ReturnType.ToDisplayString()}': a callback returns void, Task, ValueTask, Task<T> or ValueTask<T> (a synchronous result would block the caller)");
            return null;
        }

        model.Return = shape.Value;
        Remember(type, model);
        foreach (IParameterSymbol parameter in invoke.Parameters)
        {
            string reason = parameter.RefKind != RefKind.None ? "is passed by reference"
                : IsCancellationToken(parameter.Type) ? "is a CancellationToken (a callback cannot be cancelled remotely)"
                : string.Empty;
            if (reason.Length > 0)
            {
                _models.Remove(type);
                problem = new TypeProblem(TypedDiagnostics.UnsupportedCallback, $"the callback '{name}': parameter '{parameter.Name}' {reason}");
                return null;
            }

            TypeModel? parameterType = Classify(parameter.Type, out problem);
            if (parameterType is null)
            {
                _models.Remove(type);
                problem = new TypeProblem(problem!.Descriptor, $"the callback '{name}': parameter '{parameter.Name}': {problem.Reason}");
                return null;
            }

            model.Parameters.Add(new ParameterModel(parameter.Name, SchemaNames.ToSnakeCase(parameter.Name), parameterType));
        }

        if (result is not null)
        {
            model.Result = Classify(result, out problem);
            if (model.Result is null)
            {
                _models.Remove(type);
                problem = new TypeProblem(problem!.Descriptor, $"the result of the callback '{name}': {problem.Reason}");
                return null;
            }
        }

        return model;
    }

    /// <summary>What a method or delegate returns, as the generated code awaits it; null when it is not awaitable.</summary>
    public static (ReturnShape? Shape, ITypeSymbol? Result) ReturnShapeOf(ITypeSymbol type, bool returnsVoid)
    {
        if (returnsVoid)
        {
            return (ReturnShape.Void, null);
        }

        string definition = type.OriginalDefinition.ToDisplayString();
        ITypeSymbol? argument = type is INamedTypeSymbol { TypeArguments.Length: 1 } named ? named.TypeArguments[0] : null;
        return definition switch
        {
            "System.Threading.Tasks.Task" => (ReturnShape.Task, null),
            "System.Threading.Tasks.ValueTask" => (ReturnShape.ValueTask, null),
            "System.Threading.Tasks.Task<TResult>" => (ReturnShape.TaskOf, argument),
            "System.Threading.Tasks.ValueTask<TResult>" => (ReturnShape.ValueTaskOf, argument),
            "System.Collections.Generic.IAsyncEnumerable<T>" => (ReturnShape.Stream, argument),
            _ => (null, null),
        };
    }

    private TypeModel? Record(ITypeSymbol type, out TypeProblem? problem)
    {
        problem = null;
        string name = type.ToDisplayString();
        if (type is not INamedTypeSymbol named
            || named.TypeKind is not (Microsoft.CodeAnalysis.TypeKind.Class or Microsoft.CodeAnalysis.TypeKind.Struct)
            || named.IsAbstract || named.IsStatic || type.SpecialType == SpecialType.System_Object
            || named.ContainingNamespace?.ToDisplayString() is { } space && (space == "System" || space.StartsWith("System.", StringComparison.Ordinal)))
        {
            problem = Unsupported($"'{name}' is not a type a contract can carry" + Hint(type));
            return null;
        }

        var model = new TypeModel(WireKind.Record, type, TypeText(type))
        {
            IsRecord = named.IsRecord,
            Description = DocComments.Summary(type, _cancellationToken),
        };
        Remember(type, model);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (IPropertySymbol property in PublicProperties(named))
        {
            if (!seen.Add(property.Name))
            {
                continue;
            }

            TypeModel? fieldType = Classify(property.Type, out problem);
            if (fieldType is null)
            {
                _models.Remove(type);
                problem = new TypeProblem(problem!.Descriptor, $"'{name}.{property.Name}': {problem.Reason}");
                return null;
            }

            var field = new FieldModel(property.Name, WireName(property, SchemaNames.ToSnakeCase(property.Name)), fieldType)
            {
                Description = DocComments.Summary(property, _cancellationToken) ?? DocComments.Parameter(named, property.Name, _cancellationToken),
            };
            if (property.SetMethod is { DeclaredAccessibility: Accessibility.Public } setter)
            {
                field.Setter = setter.IsInitOnly || property.IsRequired ? FieldSetter.Init : FieldSetter.Set;
                field.Required = property.IsRequired && !fieldType.Nullable;
            }

            model.Fields.Add(field);
        }

        if (!ChooseConstructor(named, model))
        {
            _models.Remove(type);
            problem = new TypeProblem(TypedDiagnostics.NotConstructible,
                $"'{name}' cannot be read back: give it a public constructor whose parameters are all named after its properties, or a public parameterless one");
            return null;
        }

        return model;
    }

    private static string Hint(ITypeSymbol type) => type.SpecialType switch
    {
        SpecialType.System_Object => " (use MsgPackValue for any value)",
        SpecialType.System_Decimal => " (decimal has no msgpack form: use double, or a string)",
        _ => type.IsTupleType ? " (use a record)" : string.Empty,
    };

    private static IEnumerable<IPropertySymbol> PublicProperties(INamedTypeSymbol type)
    {
        for (INamedTypeSymbol? level = type; level is not null && level.SpecialType != SpecialType.System_Object; level = level.BaseType)
        {
            foreach (IPropertySymbol property in level.GetMembers().OfType<IPropertySymbol>())
            {
                if (!property.IsStatic && !property.IsIndexer && property.DeclaredAccessibility == Accessibility.Public
                    && property.GetMethod is { DeclaredAccessibility: Accessibility.Public })
                {
                    yield return property;
                }
            }
        }
    }

    // The public constructor with the most parameters that all name properties (a positional record's primary one),
    // else a parameterless one.
    private static bool ChooseConstructor(INamedTypeSymbol type, TypeModel model)
    {
        IMethodSymbol? best = null;
        foreach (IMethodSymbol constructor in type.InstanceConstructors)
        {
            if (constructor.DeclaredAccessibility != Accessibility.Public || (best is not null && best.Parameters.Length >= constructor.Parameters.Length))
            {
                continue;
            }

            if (constructor.Parameters.All(p => p.RefKind == RefKind.None && model.Fields.Any(f => Same(f.Name, p.Name)
                && SymbolEqualityComparer.Default.Equals(f.Type.Symbol.WithNullableAnnotation(NullableAnnotation.NotAnnotated), p.Type.WithNullableAnnotation(NullableAnnotation.NotAnnotated)))))
            {
                best = constructor;
            }
        }

        if (best is null)
        {
            return type.IsValueType;
        }

        foreach (IParameterSymbol parameter in best.Parameters)
        {
            FieldModel field = model.Fields.First(f => Same(f.Name, parameter.Name));
            field.Setter = FieldSetter.Constructor;
            field.DefaultText = parameter.HasExplicitDefaultValue ? Literals.Of(parameter.ExplicitDefaultValue, parameter.Type) : null;
            field.Required = field.DefaultText is null && !field.Type.Nullable;
            model.ConstructorFields.Add(field);
        }

        return true;
    }

    private static bool Same(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    private static TypeProblem Unsupported(string reason) => new(TypedDiagnostics.UnsupportedType, reason);

    private static string Identifier(string name)
    {
        var text = new System.Text.StringBuilder(name.Length);
        foreach (char c in name)
        {
            text.Append(char.IsLetterOrDigit(c) ? c : '_');
        }

        return text.ToString();
    }
}
