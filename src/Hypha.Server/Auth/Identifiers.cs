using System.Security.Cryptography;

namespace Hypha.Server.Auth;

/// <summary>Random ids and the rules a client id or workspace name must follow.</summary>
internal static class Identifiers
{
    private const string Lowercase = "abcdefghijklmnopqrstuvwxyz0123456789";
    private const string Mixed = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private const int MaxLength = 256;

    /// <summary>A random id of lowercase letters and digits (workspace names derived from it stay lowercase).</summary>
    public static string NewLowercase(int length) => new(RandomNumberGenerator.GetItems<char>(Lowercase, length));

    /// <summary>A random client id, 22 letters and digits like the Python client's shortuuid.</summary>
    public static string NewClientId() => new(RandomNumberGenerator.GetItems<char>(Mixed, 22));

    /// <summary>
    /// Tells why <paramref name="value"/> cannot name a client or workspace, or returns null when it can. <c>/</c>
    /// separates workspace from client in addresses and <c>*</c> means broadcast, so neither may appear.
    /// </summary>
    public static string? Problem(string value)
    {
        if (value.Length > MaxLength)
        {
            return $"longer than {MaxLength} characters";
        }

        foreach (char c in value)
        {
            if (c is '/' or '*' || char.IsWhiteSpace(c) || char.IsControl(c))
            {
                return "contains '/', '*', white space or a control character";
            }
        }

        return null;
    }
}
