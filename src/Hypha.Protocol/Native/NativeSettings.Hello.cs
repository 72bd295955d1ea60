using System.Buffers;
using Hypha.Protocol.MsgPack;
using Hypha.Protocol.Schemas;

namespace Hypha.Protocol.Native;

// Hello and HelloAck on the wire: the generated types of schemas/native_hello.schema.json and
// native_hello_ack.schema.json, in their msgpack form (docs/wire-format.md §6.1, §6.2). Both schemas are open: keys a
// later version adds are ignored. What the types cannot say (bounds, the pair [major, minor]) is checked here.
public sealed partial record NativeSettings
{
    /// <summary>The most schema offers one Hello may carry.</summary>
    public const int MaxSchemaOffers = 64;

    /// <summary>The payload of this side's Hello (type byte and body), carrying hypha's authentication fields.</summary>
    public byte[] EncodeHello(MsgPackMap auth)
    {
        ArgumentNullException.ThrowIfNull(auth);
        var hello = new NativeHello
        {
            Version = [Version.Major, Version.Minor],
            MaxFrame = MaxFrame,
            MaxMessage = MaxMessage,
            Windows = Windows(),
            HeartbeatMs = (long)Heartbeat.TotalMilliseconds,
            Compression = [.. Compression],
            Host = Host,
            Shm = SharedMemory is null ? null : RawMsgPack.From(SharedMemory.ToMap()),
            Schemas = [.. Schemas],
            Auth = ToRaw(auth),
        };
        return Encode(ControlType.Hello, hello);
    }

    /// <summary>The payload of this side's HelloAck, carrying hypha's <c>connection_info</c>.</summary>
    public byte[] EncodeHelloAck(MsgPackMap connectionInfo)
    {
        ArgumentNullException.ThrowIfNull(connectionInfo);
        var ack = new NativeHelloAck
        {
            Version = [Version.Major, Version.Minor],
            MaxFrame = MaxFrame,
            MaxMessage = MaxMessage,
            Windows = Windows(),
            HeartbeatMs = (long)Heartbeat.TotalMilliseconds,
            Compression = [.. Compression],
            Host = Host,
            Shm = SharedMemory is null ? null : RawMsgPack.From(SharedMemory.ToMap()),
            Schemas = [.. Schemas],
            ConnectionInfo = ToRaw(connectionInfo),
        };
        return Encode(ControlType.HelloAck, ack);
    }

    // Hello and HelloAck travel in their msgpack form: a peer reads them before any schema is agreed.
    private static byte[] Encode<T>(ControlType type, T message)
        where T : class, ISchemaMessage<T>
    {
        var body = new ArrayBufferWriter<byte>(1024);
        var writer = new MsgPackWriter(body);
        T.WriteMsgPack(ref writer, message);
        writer.Flush();
        return ControlMessage.Encode(type, body.WrittenSpan);
    }

    /// <summary>Reads a Hello's body: the client's settings and its authentication fields.</summary>
    /// <exception cref="NativeProtocolException">A field is missing, of the wrong type, or out of bounds.</exception>
    public static (NativeSettings Settings, MsgPackMap Auth) ReadHello(ReadOnlyMemory<byte> body)
    {
        NativeHello hello = Read(body, ControlType.Hello, static (ref MsgPackReader reader) => NativeHello.TryReadMsgPack(ref reader));
        return (From(ControlType.Hello, hello.Version, hello.MaxFrame, hello.MaxMessage, hello.Windows, hello.HeartbeatMs, hello.Compression,
            hello.Host, hello.Shm, hello.Schemas), ToMap(hello.Auth, ControlType.Hello));
    }

    /// <summary>Reads a HelloAck's body: the server's settings and hypha's <c>connection_info</c>.</summary>
    /// <exception cref="NativeProtocolException">A field is missing, of the wrong type, or out of bounds.</exception>
    public static (NativeSettings Settings, MsgPackMap ConnectionInfo) ReadHelloAck(ReadOnlyMemory<byte> body)
    {
        NativeHelloAck ack = Read(body, ControlType.HelloAck, static (ref MsgPackReader reader) => NativeHelloAck.TryReadMsgPack(ref reader));
        return (From(ControlType.HelloAck, ack.Version, ack.MaxFrame, ack.MaxMessage, ack.Windows, ack.HeartbeatMs, ack.Compression,
            ack.Host, ack.Shm, ack.Schemas), ToMap(ack.ConnectionInfo, ControlType.HelloAck));
    }

    private delegate T? TypedRead<T>(ref MsgPackReader reader);

    private static T Read<T>(ReadOnlyMemory<byte> body, ControlType type, TypedRead<T> read)
        where T : class
    {
        try
        {
            var reader = new MsgPackReader(body, ControlMessage.BodyLimits);
            T? message = read(ref reader);
            return message is not null && reader.End
                ? message
                : throw new NativeProtocolException(NativeErrorCode.ProtocolError,
                    $"{type} lacks a field or has one of the wrong type (version, max_frame, max_message, windows, heartbeat_ms, compression, schemas...)");
        }
        catch (MsgPackException ex)
        {
            throw new NativeProtocolException(NativeErrorCode.ProtocolError, $"{type} is not valid msgpack: {ex.Message}", ex);
        }
    }

    private static NativeSettings From(ControlType type, int[] version, long maxFrame, long maxMessage, NativeWindows windows, long heartbeatMs,
        string[] compression, string? host, RawMsgPack? shm, SchemaOffer[] schemas)
    {
        if (version is not [>= 0 and <= 255, >= 0 and <= 255, ..])
        {
            throw new NativeProtocolException(NativeErrorCode.ProtocolError, $"{type} needs a 'version' of [major, minor]");
        }

        if (schemas.Length > MaxSchemaOffers)
        {
            throw new NativeProtocolException(NativeErrorCode.ProtocolError, $"{type}: {schemas.Length} schemas offered, at most {MaxSchemaOffers}");
        }

        int frame = (int)Within(type, "max_frame", maxFrame, MinFrame, MaxFrameLimit);
        return new NativeSettings
        {
            Version = (version[0], version[1]),
            MaxFrame = frame,
            MaxMessage = (int)Within(type, "max_message", maxMessage, frame, int.MaxValue),
            StreamWindow = (int)Within(type, "stream", windows.Stream, frame, ControlMessages.MaxCredit),
            BulkWindow = (int)Within(type, "bulk", windows.Bulk, frame, ControlMessages.MaxCredit),
            RpcWindow = (int)Within(type, "rpc", windows.Rpc, 1, ControlMessages.MaxCredit),
            Heartbeat = TimeSpan.FromMilliseconds(Within(type, "heartbeat_ms", heartbeatMs, 0, 3_600_000)),
            Compression = compression.Where(name => name.Length > 0).ToArray(),
            Host = string.IsNullOrEmpty(host) ? null : host,
            SharedMemory = shm is { } offer ? SharedMemoryOffer.Read(Parse(offer, type), type) : null,
            Schemas = schemas,
        };
    }

    private NativeWindows Windows() => new() { Stream = StreamWindow, Rpc = RpcWindow, Bulk = BulkWindow };

    private static long Within(ControlType type, string key, long value, long min, long max) =>
        value >= min && value <= max
            ? value
            : throw new NativeProtocolException(NativeErrorCode.ProtocolError, $"{type} '{key}' is {value}, outside {min}..{max}");

    private static Dictionary<string, RawMsgPack> ToRaw(MsgPackMap map)
    {
        var raw = new Dictionary<string, RawMsgPack>(map.Count, StringComparer.Ordinal);
        foreach (KeyValuePair<MsgPackValue, MsgPackValue> entry in map)
        {
            if (entry.Key.TryGetString(out string? key))
            {
                raw[key] = RawMsgPack.From(entry.Value);
            }
        }

        return raw;
    }

    private static MsgPackMap ToMap(Dictionary<string, RawMsgPack> raw, ControlType type)
    {
        var map = new MsgPackMap(raw.Count);
        foreach ((string key, RawMsgPack value) in raw)
        {
            map.Add(key, Parse(value, type));
        }

        return map;
    }

    private static MsgPackValue Parse(RawMsgPack value, ControlType type)
    {
        try
        {
            return value.ToValue(ControlMessage.BodyLimits);
        }
        catch (MsgPackException ex)
        {
            throw new NativeProtocolException(NativeErrorCode.ProtocolError, $"{type} is not valid msgpack: {ex.Message}", ex);
        }
    }
}
