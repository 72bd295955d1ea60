using System.Globalization;
using Microsoft.CodeAnalysis;

namespace Hypha.Protocol.Generator;

/// <summary>A parameter's default value as C# source text.</summary>
internal static class Literals
{
    public static string Of(object? value, ITypeSymbol type)
    {
        ITypeSymbol target = type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable
            ? nullable.TypeArguments[0]
            : type;
        if (value is null)
        {
            return type.IsValueType && target.Equals(type, SymbolEqualityComparer.Default) ? "default" : "null";
        }

        if (target.TypeKind == Microsoft.CodeAnalysis.TypeKind.Enum)
        {
            return $"({TypeClassifier.TypeText(target)})({Convert.ToString(value, CultureInfo.InvariantCulture)})";
        }

        return value switch
        {
            bool flag => flag ? "true" : "false",
            string text => Microsoft.CodeAnalysis.CSharp.SymbolDisplay.FormatLiteral(text, quote: true),
            char c => Microsoft.CodeAnalysis.CSharp.SymbolDisplay.FormatLiteral(c, quote: true),
            float f => f.ToString("R", CultureInfo.InvariantCulture) + "f",
            double d => d.ToString("R", CultureInfo.InvariantCulture) + "d",
            long l => l.ToString(CultureInfo.InvariantCulture) + "L",
            ulong u => u.ToString(CultureInfo.InvariantCulture) + "UL",
            uint u => u.ToString(CultureInfo.InvariantCulture) + "U",
            _ => $"({TypeClassifier.TypeText(target)}){Convert.ToString(value, CultureInfo.InvariantCulture)}",
        };
    }
}
