extern alias generator;

using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.Loader;
using generator::Hypha.Protocol.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace Hypha.Protocol.Generator.Tests;

/// <summary>One run of the schema generator over in-memory schema files, and the compilation of its output.</summary>
internal sealed class GeneratorRun
{
    private static readonly MetadataReference[] References = LoadReferences();

    private GeneratorRun(ImmutableArray<Diagnostic> diagnostics, IReadOnlyList<(string HintName, string Text)> sources, Compilation output)
    {
        Diagnostics = diagnostics;
        Sources = sources;
        Output = output;
    }

    /// <summary>What the generator reported.</summary>
    public ImmutableArray<Diagnostic> Diagnostics { get; }

    /// <summary>The files it generated.</summary>
    public IReadOnlyList<(string HintName, string Text)> Sources { get; }

    /// <summary>The compilation with the generated files added.</summary>
    public Compilation Output { get; }

    /// <summary>Runs the generator over <paramref name="schemas"/> (path, JSON) and any extra C# sources.</summary>
    public static GeneratorRun Start(IEnumerable<(string Path, string Json)> schemas, params string[] extraSources)
    {
        CSharpCompilation compilation = CSharpCompilation.Create(
            "Generated" + Guid.NewGuid().ToString("N"),
            extraSources.Select(source => CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Preview))),
            References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        GeneratorDriver driver = CSharpGeneratorDriver.Create(
            [new SchemaGenerator().AsSourceGenerator()],
            schemas.Select(schema => (AdditionalText)new InMemoryText(schema.Path, schema.Json)),
            new CSharpParseOptions(LanguageVersion.Preview),
            new Options());
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out ImmutableArray<Diagnostic> diagnostics);
        GeneratorDriverRunResult result = driver.GetRunResult();
        return new GeneratorRun(
            diagnostics,
            result.Results.SelectMany(r => r.GeneratedSources).Select(s => (s.HintName, s.SourceText.ToString())).ToList(),
            output);
    }

    /// <summary>Compiles the output and loads it into a collectible context; fails the test on compiler errors.</summary>
    public Assembly Load(AssemblyLoadContext context)
    {
        using var image = new MemoryStream();
        Microsoft.CodeAnalysis.Emit.EmitResult emitted = Output.Emit(image);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        image.Position = 0;
        return context.LoadFromStream(image);
    }

    private static MetadataReference[] LoadReferences()
    {
        string[] platform = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        return platform.Append(typeof(Hypha.Protocol.Schemas.SchemaWriter).Assembly.Location)
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToArray();
    }

    private sealed class InMemoryText(string path, string text) : AdditionalText
    {
        public override string Path => path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(text);
    }

    private sealed class Options : AnalyzerConfigOptionsProvider
    {
        public override AnalyzerConfigOptions GlobalOptions { get; } = new Global();

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => Global.Empty;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => Global.Empty;

        private sealed class Global : AnalyzerConfigOptions
        {
            public static readonly Global Empty = new(false);

            private readonly bool _hasNamespace;

            public Global(bool hasNamespace = true)
            {
                _hasNamespace = hasNamespace;
            }

            public override bool TryGetValue(string key, out string value)
            {
                value = "Test.Schemas";
                return _hasNamespace && key == "build_property.HyphaSchemaNamespace";
            }
        }
    }
}
