using System.Collections.Immutable;
using System.IO;
using Hypha.Protocol.Schemas;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace Hypha.Protocol.Generator;

/// <summary>
/// The schema compiler at build time: every AdditionalFile named <c>*.schema.json</c> becomes a C# message type
/// with static binary and msgpack codecs, in the namespace of the MSBuild property <c>HyphaSchemaNamespace</c> (by
/// default the project's root namespace plus <c>.Schemas</c>). All schema files of a project are checked together,
/// so they may refer to each other; any problem is a compiler error naming the file and the field, and then
/// nothing is generated.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class SchemaGenerator : IIncrementalGenerator
{
    private const string FileSuffix = ".schema.json";

    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValueProvider<ImmutableArray<(string Path, string? Text)>> files = context.AdditionalTextsProvider
            .Where(file => file.Path.EndsWith(FileSuffix, StringComparison.OrdinalIgnoreCase))
            .Select((file, cancellationToken) => (file.Path, file.GetText(cancellationToken)?.ToString()))
            .Collect();
        IncrementalValueProvider<string> @namespace = context.AnalyzerConfigOptionsProvider.Select((options, _) => NamespaceOf(options.GlobalOptions));
        context.RegisterSourceOutput(files.Combine(@namespace), (output, input) => Generate(output, input.Left, input.Right));
    }

    private static string NamespaceOf(AnalyzerConfigOptions options)
    {
        if (options.TryGetValue("build_property.HyphaSchemaNamespace", out string? configured) && !string.IsNullOrWhiteSpace(configured))
        {
            return configured.Trim();
        }

        return options.TryGetValue("build_property.RootNamespace", out string? root) && !string.IsNullOrWhiteSpace(root)
            ? root.Trim() + ".Schemas"
            : "Schemas";
    }

    private static void Generate(SourceProductionContext output, ImmutableArray<(string Path, string? Text)> files, string @namespace)
    {
        if (files.IsEmpty)
        {
            return;
        }

        var problems = new List<SchemaProblem>();
        var texts = new Dictionary<string, string?>(StringComparer.Ordinal);
        var schemas = new List<SchemaDefinition>();
        foreach ((string path, string? text) in files.OrderBy(file => file.Path, StringComparer.Ordinal))
        {
            texts[path] = text;
            if (text is null)
            {
                problems.Add(new SchemaProblem(SchemaProblemCodes.NotASchema, path, null, null, default, $"{path} could not be read"));
                continue;
            }

            if (SchemaParser.Parse(text, path, problems) is { } schema)
            {
                schemas.Add(schema);
            }
        }

        SchemaSet set = SchemaSet.Create(schemas, problems);
        var emitters = set.Schemas.Values.OrderBy(schema => schema.Id, StringComparer.Ordinal)
            .Select(schema => (Schema: schema, Emitter: new MessageEmitter(set, schema)))
            .ToList();
        CheckNames(emitters, problems);
        foreach (SchemaProblem problem in problems)
        {
            output.ReportDiagnostic(SchemaDiagnostics.ToDiagnostic(problem, texts.TryGetValue(problem.Path, out string? text) ? text : null));
        }

        if (problems.Count > 0)
        {
            return;
        }

        foreach ((SchemaDefinition schema, MessageEmitter emitter) in emitters)
        {
            output.AddSource($"{emitter.TypeName}.g.cs", SourceText.From(emitter.Emit(@namespace, Path.GetFileName(schema.Path)), System.Text.Encoding.UTF8));
        }
    }

    private static void CheckNames(List<(SchemaDefinition Schema, MessageEmitter Emitter)> emitters, List<SchemaProblem> problems)
    {
        foreach (IGrouping<string, (SchemaDefinition Schema, MessageEmitter Emitter)> clash in emitters.GroupBy(e => e.Emitter.TypeName).Where(g => g.Count() > 1))
        {
            SchemaDefinition schema = clash.First().Schema;
            problems.Add(new SchemaProblem(SchemaDiagnostics.NameClash, schema.Path, schema.Id, null, schema.Location,
                $"{schema.Path}: schemas {string.Join(", ", clash.Select(e => $"'{e.Schema.Id}'"))} would all become the C# type {clash.Key}"));
        }

        foreach ((SchemaDefinition schema, MessageEmitter emitter) in emitters)
        {
            // Fields with the same name are reported as duplicates already.
            foreach (IGrouping<string, (SchemaField Field, string Property)> clash in emitter.Properties.GroupBy(p => p.Property)
                .Where(g => g.Select(p => p.Field.Name).Distinct().Count() > 1))
            {
                SchemaField field = clash.Last().Field;
                problems.Add(new SchemaProblem(SchemaDiagnostics.NameClash, schema.Path, schema.Id, field.Name, field.Location,
                    $"{schema.Path}: schema '{schema.Id}': fields {string.Join(", ", clash.Select(p => $"'{p.Field.Name}'"))} would all become the C# property {clash.Key}"));
            }
        }
    }
}
