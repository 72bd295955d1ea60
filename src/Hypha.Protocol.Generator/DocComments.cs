using System.Text;
using System.Threading;
using System.Xml;
using System.Xml.Linq;
using Microsoft.CodeAnalysis;

namespace Hypha.Protocol.Generator;

/// <summary>
/// The XML doc comments of contract members, as plain text for the JSON schemas hypha peers see (the descriptions
/// of functions, parameters and fields). Read from the compiler's documentation when the project generates it, else
/// from the <c>///</c> lines in the source, so descriptions do not depend on a build setting.
/// </summary>
internal static class DocComments
{
    public static string? Summary(ISymbol symbol, CancellationToken cancellationToken) =>
        Read(symbol, cancellationToken)?.Element("summary") is { } summary ? Text(summary) : null;

    public static string? Parameter(ISymbol symbol, string name, CancellationToken cancellationToken) =>
        Read(symbol, cancellationToken)?.Elements("param").FirstOrDefault(p => (string?)p.Attribute("name") == name) is { } param
            ? Text(param)
            : null;

    private static XElement? Read(ISymbol symbol, CancellationToken cancellationToken)
    {
        string? xml = symbol.GetDocumentationCommentXml(cancellationToken: cancellationToken);
        if (string.IsNullOrWhiteSpace(xml))
        {
            xml = FromSource(symbol, cancellationToken);
        }

        if (string.IsNullOrWhiteSpace(xml))
        {
            return null;
        }

        try
        {
            XElement root = XElement.Parse(xml!.TrimStart().StartsWith("<member", StringComparison.Ordinal) ? xml : $"<member>{xml}</member>");
            return root;
        }
        catch (XmlException)
        {
            return null;
        }
    }

    // The /// lines before the declaration, without their markers.
    private static string? FromSource(ISymbol symbol, CancellationToken cancellationToken)
    {
        SyntaxReference? reference = symbol.DeclaringSyntaxReferences.FirstOrDefault();
        if (reference is null)
        {
            return null;
        }

        var text = new StringBuilder();
        foreach (SyntaxTrivia trivia in reference.GetSyntax(cancellationToken).GetLeadingTrivia())
        {
            foreach (string line in trivia.ToFullString().Split('\n'))
            {
                string trimmed = line.Trim();
                if (trimmed.StartsWith("///", StringComparison.Ordinal))
                {
                    text.Append(trimmed.Substring(3)).Append('\n');
                }
            }
        }

        return text.Length == 0 ? null : text.ToString();
    }

    private static string? Text(XElement element)
    {
        var text = new StringBuilder();
        Append(element, text);
        string collapsed = string.Join(" ", text.ToString().Split([' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries));
        return collapsed.Length == 0 ? null : collapsed;
    }

    private static void Append(XElement element, StringBuilder text)
    {
        foreach (XNode node in element.Nodes())
        {
            switch (node)
            {
                case XText plain:
                    text.Append(plain.Value);
                    break;
                case XElement { Name.LocalName: "see" or "seealso" } reference when reference.Attribute("cref") is { } cref:
                    string target = cref.Value;
                    int colon = target.IndexOf(':');
                    target = colon >= 0 ? target.Substring(colon + 1) : target;
                    int paren = target.IndexOf('(');
                    target = paren >= 0 ? target.Substring(0, paren) : target;
                    text.Append(target.Substring(target.LastIndexOf('.') + 1));
                    break;
                case XElement { Name.LocalName: "see" } keyword when keyword.Attribute("langword") is { } word:
                    text.Append(word.Value);
                    break;
                case XElement { Name.LocalName: "paramref" or "typeparamref" } named when named.Attribute("name") is { } name:
                    text.Append(name.Value);
                    break;
                case XElement nested:
                    Append(nested, text);
                    break;
            }
        }
    }
}
