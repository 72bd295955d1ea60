namespace Hypha.Client.Rpc;

/// <summary>Session and object ids: short, unique, free of '.', '/', ':' and '#', which carry meaning in paths.</summary>
internal static class RandomIds
{
    private const string Alphabet = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

    public static string New() => string.Create(16, 0, static (span, _) =>
    {
        for (int i = 0; i < span.Length; i++)
        {
            span[i] = Alphabet[Random.Shared.Next(Alphabet.Length)];
        }
    });
}
