namespace Hypha.Client.Connection;

/// <summary>Turns the URL a user gives into the endpoint a client connects to.</summary>
public static class ServerUrl
{
    /// <summary>
    /// <c>http://host[:port][/]</c> becomes <c>ws://host[:port]/ws</c> and <c>https://</c> becomes <c>wss://.../ws</c>, as
    /// the hypha-rpc clients do; a <c>ws://</c> or <c>wss://</c> URL is used exactly as given.
    /// </summary>
    /// <exception cref="ArgumentException">The URL is not absolute, or its scheme is not http, https, ws or wss.</exception>
    public static Uri ToWebSocket(string url)
    {
        ArgumentException.ThrowIfNullOrEmpty(url);
        if (!Uri.TryCreate(url, UriKind.Absolute, out Uri? uri))
        {
            throw new ArgumentException($"'{url}' is not an absolute URL.", nameof(url));
        }

        string path = uri.AbsolutePath.TrimEnd('/');
        return uri.Scheme switch
        {
            "ws" or "wss" => uri,
            "http" => new UriBuilder(uri) { Scheme = "ws", Path = path + "/ws" }.Uri,
            "https" => new UriBuilder(uri) { Scheme = "wss", Path = path + "/ws" }.Uri,
            _ => throw new ArgumentException($"'{url}' must use http, https, ws or wss.", nameof(url)),
        };
    }
}
