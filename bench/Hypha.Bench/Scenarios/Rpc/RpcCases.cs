namespace Hypha.Bench.Scenarios.Rpc;

/// <summary>The case names of the <c>rpc</c> scenario, as its rows and docs/performance.md spell them.</summary>
internal static class RpcCases
{
    /// <summary>Our client through our server.</summary>
    public const string HyphaWs = "hypha-ws";

    /// <summary>Our client in native mode over TCP, to a native provider, through the same server.</summary>
    public const string NativeTcp = "native-tcp";

    /// <summary>Our client in native mode over the server's Unix socket, to a provider on the same socket.</summary>
    public const string NativeUds = "native-uds";

    /// <summary>The npm hypha-rpc client through the same server, calling the same service.</summary>
    public const string JsHyphaWs = "js-hypha-ws";

    /// <summary>The floor: the same routed trip in plain socket messages.</summary>
    public const string RawTcp = "raw-tcp";

    /// <summary>The common .NET choice: JSON over HTTP/1.1 to a Kestrel minimal API.</summary>
    public const string AspNetHttp = "aspnet-http";
}
