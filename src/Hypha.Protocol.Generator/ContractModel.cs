using Microsoft.CodeAnalysis;

namespace Hypha.Protocol.Generator;

/// <summary>One interface marked <c>[HyphaService]</c>, analysed: what the emitters write the proxy and dispatcher from.</summary>
internal sealed class ContractModel
{
    public ContractModel(INamedTypeSymbol symbol, TypeClassifier types)
    {
        Symbol = symbol;
        Types = types;
        TypeText = TypeClassifier.TypeText(symbol);
        Namespace = symbol.ContainingNamespace is { IsGlobalNamespace: false } space ? space.ToDisplayString() : null;
        GeneratedName = symbol.Name + "Hypha";
        Accessibility = symbol.DeclaredAccessibility == Microsoft.CodeAnalysis.Accessibility.Public ? "public" : "internal";
    }

    public INamedTypeSymbol Symbol { get; }

    public TypeClassifier Types { get; }

    public string TypeText { get; }

    public string? Namespace { get; }

    /// <summary>The generated static class that holds the descriptor, the proxy and the codecs: <c>ICalcHypha</c>.</summary>
    public string GeneratedName { get; }

    public string Accessibility { get; }

    public string ServiceId { get; set; } = string.Empty;

    public string? Name { get; set; }

    public string? Description { get; set; }

    /// <summary>The value of <c>ServiceVisibility</c>: 0 protected, 1 public, 2 unlisted.</summary>
    public int Visibility { get; set; }

    public List<MethodModel> Methods { get; } = [];

    public List<Diagnostic> Diagnostics { get; } = [];
}

/// <summary>One method of a contract.</summary>
internal sealed class MethodModel
{
    public MethodModel(IMethodSymbol symbol, int id, string wireName)
    {
        Symbol = symbol;
        Id = id;
        WireName = wireName;
    }

    public IMethodSymbol Symbol { get; }

    public int Id { get; }

    public string WireName { get; }

    /// <summary>The interface that declares it (a base interface's method is implemented and called through that interface).</summary>
    public string DeclaringTypeText => TypeClassifier.TypeText(Symbol.ContainingType);

    /// <summary>The arguments a caller gives, in order (the CancellationToken and the RpcContext excluded).</summary>
    public List<ParameterModel> Parameters { get; } = [];

    /// <summary>The position of the CancellationToken parameter, or -1.</summary>
    public int CancellationIndex { get; set; } = -1;

    /// <summary>The position of the RpcContext parameter, or -1.</summary>
    public int ContextIndex { get; set; } = -1;

    /// <summary>True when the RpcContext parameter is declared nullable (no null-forgiving operator is needed to pass it).</summary>
    public bool ContextNullable => TakesContext && Symbol.Parameters[ContextIndex].Type.NullableAnnotation == NullableAnnotation.Annotated;

    /// <summary>True when the method takes the caller's RpcContext.</summary>
    public bool TakesContext => ContextIndex >= 0;

    public ReturnShape Return { get; set; }

    /// <summary>The result (TaskOf, ValueTaskOf), or the whole IAsyncEnumerable (Stream); null for Task and ValueTask.</summary>
    public TypeModel? Result { get; set; }

    public string? Description { get; set; }

    public string SchemaJson { get; set; } = string.Empty;

    /// <summary>True when a remote caller may cancel a running call: it takes a CancellationToken and is not a stream.</summary>
    public bool TakesCancellation => CancellationIndex >= 0 && Return != ReturnShape.Stream;
}
