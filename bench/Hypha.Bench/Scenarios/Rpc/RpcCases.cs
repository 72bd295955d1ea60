namespace Hypha.Bench.Scenarios.Rpc;

/// <summary>The case names of the <c>rpc</c> scenario, as its rows and docs/performance.md spell them.</summary>
internal static class RpcCases
{
    /// <summary>Our client through our server.</summary>
    public const string HyphaWs = "hypha-ws";

    /// <summary>Our client in native mode over TCP, to a native provider, through the same server.</summary>
    public const string NativeTcp = "native-tcp";

    /// <summary>The same call as <see cref="NativeTcp"/> through a generated proxy, to a typed service (generated dispatcher).</summary>
    public const string NativeTyped = "native-typed";

    /// <summary>A record in and the same record out through a generated proxy and a typed service in native mode: the record in its binary form.</summary>
    public const string NativeTypedRecord = "native-typed-record";

    /// <summary>The same call as <see cref="NativeTypedRecord"/> from a client that keeps records as msgpack maps.</summary>
    public const string NativeTypedRecordMap = "native-typed-record-map";

    /// <summary>The generated dispatcher alone serving <c>add(1, 2)</c>: args bytes in, result bytes out.</summary>
    public const string Dispatch = "dispatch";

    /// <summary>The generated dispatcher alone, a record in and the same record out.</summary>
    public const string DispatchRecord = "dispatch-record";

    /// <summary>The generated dispatcher alone, the same record in and out in its binary form (a call marked for binary records).</summary>
    public const string DispatchRecordBinary = "dispatch-record-binary";

    /// <summary>A record encoded and decoded in its schema-compiled binary form.</summary>
    public const string RecordBinary = "record/binary";

    /// <summary>The same record encoded and decoded as a msgpack map with names.</summary>
    public const string RecordMsgPack = "record/msgpack";

    /// <summary>Our client in native mode over the server's Unix socket, to a provider on the same socket.</summary>
    public const string NativeUds = "native-uds";

    /// <summary>The npm hypha-rpc client through the same server, calling the same service.</summary>
    public const string JsHyphaWs = "js-hypha-ws";

    /// <summary>The floor: the same routed trip in plain socket messages.</summary>
    public const string RawTcp = "raw-tcp";

    /// <summary>The common .NET choice: JSON over HTTP/1.1 to a Kestrel minimal API.</summary>
    public const string AspNetHttp = "aspnet-http";
}
