extern alias generator;

using System.Collections.Immutable;
using generator::Hypha.Protocol.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Hypha.Protocol.Generator.Tests;

/// <summary>One run of the typed-service generator over C# source, and the compilation of what it emitted.</summary>
internal sealed class TypedServiceRun
{
    private static readonly MetadataReference[] References = LoadReferences();

    private TypedServiceRun(ImmutableArray<Diagnostic> diagnostics, IReadOnlyList<string> sources, Compilation output)
    {
        Diagnostics = diagnostics;
        Sources = sources;
        Output = output;
    }

    /// <summary>What the generator reported.</summary>
    public ImmutableArray<Diagnostic> Diagnostics { get; }

    /// <summary>The files it generated.</summary>
    public IReadOnlyList<string> Sources { get; }

    /// <summary>The compilation with the generated files.</summary>
    public Compilation Output { get; }

    /// <summary>The compiler errors of the whole output (the source and what was generated).</summary>
    public IEnumerable<Diagnostic> CompileErrors => Output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error);

    /// <summary>Runs the generator over <paramref name="source"/> (usings for the contract attributes are added).</summary>
    public static TypedServiceRun Start(string source)
    {
        string text = $$"""
            using System;
            using System.Collections.Generic;
            using System.Threading;
            using System.Threading.Tasks;
            using Hypha.Client.Typed;
            using Hypha.Protocol.MsgPack;

            {{source}}
            """;
        var parse = new CSharpParseOptions(LanguageVersion.Preview, DocumentationMode.Diagnose);
        CSharpCompilation compilation = CSharpCompilation.Create(
            "Typed" + Guid.NewGuid().ToString("N"),
            [CSharpSyntaxTree.ParseText(text, parse, path: "Contract.cs")],
            References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        GeneratorDriver driver = CSharpGeneratorDriver.Create([new TypedServiceGenerator().AsSourceGenerator()], parseOptions: parse);
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out ImmutableArray<Diagnostic> diagnostics);
        return new TypedServiceRun(
            diagnostics,
            driver.GetRunResult().Results.SelectMany(r => r.GeneratedSources).Select(s => s.SourceText.ToString()).ToList(),
            output);
    }

    private static MetadataReference[] LoadReferences()
    {
        string[] platform = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        return platform
            .Append(typeof(Hypha.Protocol.MsgPack.MsgPackValue).Assembly.Location)
            .Append(typeof(Hypha.Client.Typed.HyphaServiceAttribute).Assembly.Location)
            .Append(typeof(Hypha.Transport.Multiplexing.Multiplexer).Assembly.Location)
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToArray();
    }
}
