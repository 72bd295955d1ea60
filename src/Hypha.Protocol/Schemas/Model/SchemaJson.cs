using System.Globalization;
using System.Text;

namespace Hypha.Protocol.Schemas;

/// <summary>
/// A small JSON reader for schema files that remembers where every value is, so that a bad schema is reported at
/// its line and column. It is shared by the runtime and the source generator, which cannot use System.Text.Json.
/// Nesting is limited to <see cref="MaxDepth"/>.
/// </summary>
public static class SchemaJson
{
    /// <summary>The deepest nesting accepted.</summary>
    public const int MaxDepth = 32;

    /// <summary>Parses <paramref name="text"/> into a value tree.</summary>
    /// <exception cref="FormatException">The text is not JSON; the message says where.</exception>
    public static JsonNode Parse(string text)
    {
        var parser = new Parser(text ?? throw new ArgumentNullException(nameof(text)));
        parser.SkipSpace();
        JsonNode value = parser.ReadValue(0);
        parser.SkipSpace();
        if (!parser.AtEnd)
        {
            throw parser.Error("unexpected text after the JSON value");
        }

        return value;
    }

    private sealed class Parser(string text)
    {
        private int _position;
        private int _line = 1;
        private int _lineStart;

        public bool AtEnd => _position >= text.Length;

        public JsonNode ReadValue(int depth)
        {
            if (depth > MaxDepth)
            {
                throw Error($"nesting deeper than {MaxDepth}");
            }

            if (AtEnd)
            {
                throw Error("unexpected end of the text");
            }

            SchemaLocation start = Here(1);
            char c = text[_position];
            switch (c)
            {
                case '{':
                    return ReadObject(start, depth);
                case '[':
                    return ReadArray(start, depth);
                case '"':
                    string value = ReadString();
                    return new JsonNode(JsonKind.String, Span(start), value);
                case 't':
                    ReadWord("true");
                    return new JsonNode(JsonKind.True, Span(start));
                case 'f':
                    ReadWord("false");
                    return new JsonNode(JsonKind.False, Span(start));
                case 'n':
                    ReadWord("null");
                    return new JsonNode(JsonKind.Null, Span(start));
                default:
                    if (c == '-' || (c >= '0' && c <= '9'))
                    {
                        return ReadNumber(start);
                    }

                    throw Error($"unexpected character '{c}'");
            }
        }

        public void SkipSpace()
        {
            while (!AtEnd)
            {
                char c = text[_position];
                if (c == '\n')
                {
                    _line++;
                    _lineStart = _position + 1;
                }
                else if (c != ' ' && c != '\t' && c != '\r')
                {
                    return;
                }

                _position++;
            }
        }

        public FormatException Error(string message) =>
            new($"line {_line}, column {_position - _lineStart + 1}: {message}");

        private JsonNode ReadObject(SchemaLocation start, int depth)
        {
            _position++;
            var properties = new List<KeyValuePair<string, JsonNode>>();
            SkipSpace();
            if (!AtEnd && text[_position] == '}')
            {
                _position++;
                return new JsonNode(JsonKind.Object, Span(start), properties: properties);
            }

            while (true)
            {
                SkipSpace();
                if (AtEnd || text[_position] != '"')
                {
                    throw Error("expected a property name in quotes");
                }

                string name = ReadString();
                foreach (KeyValuePair<string, JsonNode> existing in properties)
                {
                    if (existing.Key == name)
                    {
                        throw Error($"the property \"{name}\" appears twice");
                    }
                }

                SkipSpace();
                Expect(':');
                SkipSpace();
                properties.Add(new KeyValuePair<string, JsonNode>(name, ReadValue(depth + 1)));
                SkipSpace();
                if (Take('}'))
                {
                    return new JsonNode(JsonKind.Object, Span(start), properties: properties);
                }

                Expect(',');
            }
        }

        private JsonNode ReadArray(SchemaLocation start, int depth)
        {
            _position++;
            var items = new List<JsonNode>();
            SkipSpace();
            if (Take(']'))
            {
                return new JsonNode(JsonKind.Array, Span(start), items: items);
            }

            while (true)
            {
                SkipSpace();
                items.Add(ReadValue(depth + 1));
                SkipSpace();
                if (Take(']'))
                {
                    return new JsonNode(JsonKind.Array, Span(start), items: items);
                }

                Expect(',');
            }
        }

        private string ReadString()
        {
            _position++;
            var builder = new StringBuilder();
            while (true)
            {
                if (AtEnd)
                {
                    throw Error("a string is not closed");
                }

                char c = text[_position++];
                if (c == '"')
                {
                    return builder.ToString();
                }

                if (c < ' ')
                {
                    throw Error("a control character inside a string");
                }

                if (c != '\\')
                {
                    builder.Append(c);
                    continue;
                }

                if (AtEnd)
                {
                    throw Error("a string is not closed");
                }

                char escape = text[_position++];
                switch (escape)
                {
                    case '"': builder.Append('"'); break;
                    case '\\': builder.Append('\\'); break;
                    case '/': builder.Append('/'); break;
                    case 'b': builder.Append('\b'); break;
                    case 'f': builder.Append('\f'); break;
                    case 'n': builder.Append('\n'); break;
                    case 'r': builder.Append('\r'); break;
                    case 't': builder.Append('\t'); break;
                    case 'u':
                        if (_position + 4 > text.Length
                            || !int.TryParse(text.Substring(_position, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out int code))
                        {
                            throw Error("a \\u escape needs four hex digits");
                        }

                        builder.Append((char)code);
                        _position += 4;
                        break;
                    default:
                        throw Error($"unknown escape '\\{escape}'");
                }
            }
        }

        private JsonNode ReadNumber(SchemaLocation start)
        {
            int begin = _position;
            if (text[_position] == '-')
            {
                _position++;
            }

            while (!AtEnd && "0123456789.eE+-".IndexOf(text[_position]) >= 0)
            {
                _position++;
            }

            string number = text.Substring(begin, _position - begin);
            if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
            {
                throw Error($"'{number}' is not a number");
            }

            return new JsonNode(JsonKind.Number, Span(start), number: value);
        }

        private void ReadWord(string word)
        {
            if (string.CompareOrdinal(text, _position, word, 0, word.Length) != 0)
            {
                throw Error($"expected '{word}'");
            }

            _position += word.Length;
        }

        private bool Take(char expected)
        {
            if (!AtEnd && text[_position] == expected)
            {
                _position++;
                return true;
            }

            return false;
        }

        private void Expect(char expected)
        {
            if (!Take(expected))
            {
                throw Error($"expected '{expected}'");
            }
        }

        private SchemaLocation Here(int length) => new(_line, _position - _lineStart + 1, _position, length);

        private SchemaLocation Span(SchemaLocation start) => new(start.Line, start.Column, start.Offset, _position - start.Offset);
    }
}

/// <summary>The kinds of JSON values.</summary>
public enum JsonKind
{
    /// <summary>An object.</summary>
    Object,

    /// <summary>An array.</summary>
    Array,

    /// <summary>A string.</summary>
    String,

    /// <summary>A number.</summary>
    Number,

    /// <summary>true.</summary>
    True,

    /// <summary>false.</summary>
    False,

    /// <summary>null.</summary>
    Null,
}

/// <summary>One JSON value of a schema file, with where it is.</summary>
public sealed class JsonNode
{
    internal JsonNode(JsonKind kind, SchemaLocation location, string? text = null, double number = 0,
        List<KeyValuePair<string, JsonNode>>? properties = null, List<JsonNode>? items = null)
    {
        Kind = kind;
        Location = location;
        Text = text;
        Number = number;
        Properties = properties ?? [];
        Items = items ?? [];
    }

    /// <summary>The value's kind.</summary>
    public JsonKind Kind { get; }

    /// <summary>Where the value is.</summary>
    public SchemaLocation Location { get; }

    /// <summary>The text of a string.</summary>
    public string? Text { get; }

    /// <summary>The value of a number.</summary>
    public double Number { get; }

    /// <summary>An object's properties, in order.</summary>
    public IReadOnlyList<KeyValuePair<string, JsonNode>> Properties { get; }

    /// <summary>An array's items.</summary>
    public IReadOnlyList<JsonNode> Items { get; }

    /// <summary>A property of an object, or null.</summary>
    public JsonNode? this[string name]
    {
        get
        {
            foreach (KeyValuePair<string, JsonNode> property in Properties)
            {
                if (property.Key == name)
                {
                    return property.Value;
                }
            }

            return null;
        }
    }
}
