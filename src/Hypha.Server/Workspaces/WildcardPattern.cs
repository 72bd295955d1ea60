namespace Hypha.Server.Workspaces;

/// <summary>
/// Glob matching with <c>*</c> only (any run of characters, possibly empty), ordinal. Hypha matches the same id
/// parts with Redis SCAN patterns; <c>*</c> is the only metacharacter its clients use.
/// </summary>
internal static class WildcardPattern
{
    public static bool IsMatch(string pattern, string text)
    {
        if (pattern == ServiceIdSyntax.Wildcard)
        {
            return true;
        }

        // Greedy match that backtracks to the last '*': at worst pattern × text steps, nothing for id-sized strings.
        int p = 0, t = 0, star = -1, resume = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                resume = t;
            }
            else if (p < pattern.Length && pattern[p] == text[t])
            {
                p++;
                t++;
            }
            else if (star >= 0)
            {
                p = star + 1;
                t = ++resume;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }
}
