namespace Hypha.Client.Connection;

/// <summary>Turns the URL a user gives into the endpoint a client connects to.</summary>
public static class ServerUrl
{
    /// <summary>The scheme of native mode over TCP: <c>tcp://host:port</c>.</summary>
    public const string TcpScheme = "tcp";

    /// <summary>The scheme of native mode over a Unix domain socket: <c>unix:///path/to/socket</c>.</summary>
    public const string UnixScheme = "unix";

    /// <summary>
    /// Tells whether <paramref name="url"/> asks for native mode (<c>tcp://host:port</c> or <c>unix:///path</c>), and
    /// gives its parsed form.
    /// </summary>
    /// <exception cref="ArgumentException">A tcp URL without a port, or a unix URL without a path.</exception>
    public static bool IsNative(string url, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Uri? native)
    {
        native = null;
        if (!Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) || uri.Scheme is not (TcpScheme or UnixScheme))
        {
            return false;
        }

        if (uri.Scheme == TcpScheme && (uri.IsDefaultPort || uri.Port <= 0))
        {
            throw new ArgumentException($"'{url}' needs a port: tcp://host:port.", nameof(url));
        }

        if (uri.Scheme == UnixScheme && uri.AbsolutePath.Length <= 1)
        {
            throw new ArgumentException($"'{url}' needs a socket path: unix:///path/to/socket.", nameof(url));
        }

        native = uri;
        return true;
    }

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
