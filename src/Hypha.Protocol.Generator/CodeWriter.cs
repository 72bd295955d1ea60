using System.Text;

namespace Hypha.Protocol.Generator;

/// <summary>Builds indented C# source, one line at a time.</summary>
internal sealed class CodeWriter
{
    private readonly StringBuilder _text = new();
    private int _indent;
    private int _names;

    public CodeWriter Line(string line = "")
    {
        if (line.Length > 0)
        {
            _text.Append(' ', _indent * 4);
        }

        _text.Append(line).Append('\n');
        return this;
    }

    /// <summary>Writes <paramref name="line"/> (if any) and an opening brace, and indents.</summary>
    public CodeWriter Open(string? line = null)
    {
        if (line is not null)
        {
            Line(line);
        }

        Line("{");
        _indent++;
        return this;
    }

    /// <summary>Closes a brace opened by <see cref="Open"/>.</summary>
    public CodeWriter Close(string suffix = "")
    {
        _indent--;
        return Line("}" + suffix);
    }

    /// <summary>A local name unique in this file (pattern variables of sibling statements share a scope).</summary>
    public string UniqueName(string prefix) => prefix + _names++.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public override string ToString() => _text.ToString();
}
