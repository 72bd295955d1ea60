using Hypha.Protocol.Schemas;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Hypha.Protocol.Generator;

/// <summary>Turns schema problems into compiler errors that point at the schema file, line and field.</summary>
internal static class SchemaDiagnostics
{
    /// <summary>Two fields, or two schemas, would get the same C# name.</summary>
    public const string NameClash = "HYS013";

    public static Diagnostic ToDiagnostic(SchemaProblem problem, string? text)
    {
        var descriptor = new DiagnosticDescriptor(
            problem.Code,
            "Invalid Hypha schema",
            "{0}",
            "Hypha.Schemas",
            DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            helpLinkUri: "docs/schema-language.md");
        return Diagnostic.Create(descriptor, LocationOf(problem, text), problem.Message);
    }

    private static Location LocationOf(SchemaProblem problem, string? text)
    {
        SchemaLocation at = problem.Location;
        if (at.Line == 0 || text is null || at.Offset < 0)
        {
            return Location.Create(problem.Path, default, default);
        }

        int length = Math.Max(0, Math.Min(at.Length, text.Length - at.Offset));
        var start = new LinePosition(at.Line - 1, at.Column - 1);
        return Location.Create(problem.Path, new TextSpan(at.Offset, length), new LinePositionSpan(start, start));
    }
}
