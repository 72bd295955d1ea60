using System.Text;

namespace Hypha.Protocol.Schemas;

/// <summary>The naming rules of the schema language, and how names become C# names.</summary>
public static class SchemaNames
{
    /// <summary>The longest name allowed.</summary>
    public const int MaxLength = 64;

    /// <summary>
    /// True for a name of the schema language: a lowercase letter, then lowercase letters, digits and underscores, at
    /// most <see cref="MaxLength"/> characters.
    /// </summary>
    public static bool IsIdentifier(string name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > MaxLength || name[0] < 'a' || name[0] > 'z')
        {
            return false;
        }

        foreach (char c in name)
        {
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary><c>rpc_method_v4</c> becomes <c>RpcMethodV4</c>: each part capitalised, underscores dropped.</summary>
    public static string ToPascalCase(string name)
    {
        var builder = new StringBuilder(name.Length);
        bool upper = true;
        foreach (char c in name)
        {
            if (c == '_')
            {
                upper = true;
                continue;
            }

            builder.Append(upper ? char.ToUpperInvariant(c) : c);
            upper = false;
        }

        return builder.ToString();
    }

    /// <summary>
    /// <c>MaxItems</c> and <c>maxItems</c> become <c>max_items</c>, <c>HTTPServer</c> becomes <c>http_server</c>: the
    /// snake_case hypha peers name parameters, fields and functions with. One rule for dynamic services (their JSON
    /// schemas, records as maps) and the typed-service generator.
    /// </summary>
    public static string ToSnakeCase(string name)
    {
        var text = new StringBuilder(name.Length + 4);
        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            if (char.IsUpper(c))
            {
                if (i > 0 && (char.IsLower(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1]) && char.IsUpper(name[i - 1]))))
                {
                    text.Append('_');
                }

                text.Append(char.ToLowerInvariant(c));
            }
            else
            {
                text.Append(c);
            }
        }

        return text.ToString();
    }
}
