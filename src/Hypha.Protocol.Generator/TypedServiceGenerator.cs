using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace Hypha.Protocol.Generator;

/// <summary>
/// The typed-service compiler: every interface marked <c>[HyphaService("id")]</c> gets a proxy, a dispatcher and the
/// codecs of its types (docs/typed-services.md). A contract the generator cannot serve is a compiler error (HYT0xx)
/// at the member concerned, and then nothing is generated for it.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class TypedServiceGenerator : IIncrementalGenerator
{
    private const string AttributeName = "Hypha.Client.Typed.HyphaServiceAttribute";

    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValuesProvider<GeneratedContract> contracts = context.SyntaxProvider.ForAttributeWithMetadataName(
            AttributeName,
            static (node, _) => node is InterfaceDeclarationSyntax,
            static (attributed, cancellationToken) => Generate((INamedTypeSymbol)attributed.TargetSymbol, attributed.Attributes[0],
                attributed.SemanticModel.Compilation, cancellationToken));
        context.RegisterSourceOutput(contracts, static (output, contract) =>
        {
            foreach (Diagnostic diagnostic in contract.Diagnostics)
            {
                output.ReportDiagnostic(diagnostic);
            }

            if (contract.Source is { } source)
            {
                output.AddSource(contract.HintName, SourceText.From(source, System.Text.Encoding.UTF8));
            }
        });
    }

    private static GeneratedContract Generate(INamedTypeSymbol symbol, AttributeData attribute, Compilation compilation, System.Threading.CancellationToken cancellationToken)
    {
        ContractModel contract = ContractAnalyzer.Analyze(symbol, attribute, compilation, cancellationToken);
        string hint = $"{symbol.ToDisplayString().Replace('<', '_').Replace('>', '_')}.Hypha.g.cs";
        return contract.Diagnostics.Count > 0
            ? new GeneratedContract(hint, null, contract.Diagnostics.ToImmutableArray())
            : new GeneratedContract(hint, ContractEmitter.Emit(contract), ImmutableArray<Diagnostic>.Empty);
    }

    // What one contract produced: compared by text, so an edit that changes nothing generates nothing again.
    private sealed class GeneratedContract : IEquatable<GeneratedContract>
    {
        public GeneratedContract(string hintName, string? source, ImmutableArray<Diagnostic> diagnostics)
        {
            HintName = hintName;
            Source = source;
            Diagnostics = diagnostics;
        }

        public string HintName { get; }

        public string? Source { get; }

        public ImmutableArray<Diagnostic> Diagnostics { get; }

        public bool Equals(GeneratedContract? other) =>
            other is not null && HintName == other.HintName && Source == other.Source
            && Diagnostics.Select(d => d.ToString()).SequenceEqual(other.Diagnostics.Select(d => d.ToString()));

        public override bool Equals(object? obj) => Equals(obj as GeneratedContract);

        public override int GetHashCode() => HintName.GetHashCode() ^ (Source?.Length ?? 0);
    }
}
