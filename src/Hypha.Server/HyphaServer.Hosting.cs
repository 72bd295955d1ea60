using System.Net;
using System.Security.Cryptography;
using Hypha.Server.Auth;
using Hypha.Server.Connections;
using Hypha.Server.Native;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace Hypha.Server;

public sealed partial class HyphaServer
{
    /// <summary>
    /// The URL of the server on this machine: the bound address, or the loopback address when bound to every
    /// interface (<c>0.0.0.0</c> is not an address a client can connect to).
    /// </summary>
    internal static string LocalBaseUrl(HyphaServerOptions options)
    {
        IPAddress address = ParseHost(options.Host);
        if (address.Equals(IPAddress.Any))
        {
            address = IPAddress.Loopback;
        }
        else if (address.Equals(IPAddress.IPv6Any))
        {
            address = IPAddress.IPv6Loopback;
        }

        string host = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
        return $"http://{host}:{options.Port}";
    }

    // Kestrel alone, without the default host's configuration sources, routing or static files: on the port (and the
    // optional Unix socket), connection middleware that takes native connections aside; then one request handler,
    // which upgrades /ws to a WebSocket framed by the server itself over the connection's pipes.
    private static WebApplication BuildApplication(HyphaServerOptions options, WebSocketEndpoint endpoint, NativeEndpoint nativeEndpoint)
    {
        IPAddress address = ParseHost(options.Host);
        WebApplicationBuilder builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(address, options.Port, listen => listen.Use(nativeEndpoint.Middleware));
            if (options.UnixSocketPath is { } path)
            {
                File.Delete(path); // a socket file left by a process that did not stop cleanly would refuse the bind
                kestrel.ListenUnixSocket(path, listen => listen.Use(nativeEndpoint.Middleware));
            }
        });
        builder.Logging
            .AddSimpleConsole(console => console.SingleLine = true)
            .SetMinimumLevel(options.MinimumLogLevel)
            .AddFilter("Microsoft", level => level >= LogLevel.Warning && level >= options.MinimumLogLevel)
            .AddFilter("Microsoft.Extensions.Hosting", LogLevel.None); // start failures reach the caller as exceptions
        if (options.LoggerProvider is { } provider)
        {
            builder.Logging.AddProvider(provider);
        }

        WebApplication app = builder.Build();
        app.Run(endpoint.HandleAsync);
        return app;
    }

    private static IPAddress ParseHost(string host)
    {
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return IPAddress.Loopback;
        }

        return IPAddress.TryParse(host, out IPAddress? address)
            ? address
            : throw new ArgumentException($"Host must be an IP address or 'localhost', not '{host}'.", nameof(host));
    }

    private static int BoundPort(WebApplication app) => new Uri(app.Urls.First()).Port;

    // Fills in what only a listening server knows, and the defaults that are random per server.
    private static HyphaServerOptions Resolve(HyphaServerOptions options, int port)
    {
        HyphaServerOptions bound = options with { Port = port };
        return bound with
        {
            PublicBaseUrl = (options.PublicBaseUrl ?? LocalBaseUrl(bound)).TrimEnd('/'),
            JwtSecret = options.JwtSecret ?? Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ServerId = options.ServerId ?? $"server-{Identifiers.NewLowercase(12)}",
        };
    }
}
