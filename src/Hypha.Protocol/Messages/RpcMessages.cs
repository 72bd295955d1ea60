using System.Buffers;
using Hypha.Protocol.MsgPack;
using Hypha.Protocol.Schemas;

namespace Hypha.Protocol.Messages;

/// <summary>
/// The hypha message as an <see cref="RpcMethodV4"/>: read from and written to a hypha frame (its msgpack form), and
/// viewed as the call, <c>main</c> map or merged map the rest of the message model works with.
/// </summary>
public static class RpcMessages
{
    /// <summary>
    /// Reads a whole hypha frame as an <c>rpc_method_v4</c> message, without copying its values; null when the frame
    /// is not of that shape (an event with keys of its own, a later protocol's key): the frame is then read as maps.
    /// </summary>
    /// <exception cref="MsgPackException">The frame is not valid msgpack.</exception>
    public static RpcMethodV4? TryRead(ReadOnlyMemory<byte> frame, MsgPackReaderOptions options)
    {
        var reader = new MsgPackReader(frame, options);
        if (reader.End || reader.NextType != MsgPackType.Map)
        {
            return null;
        }

        RpcMethodV4? message = RpcMethodV4.TryReadMsgPack(ref reader);
        return message is not null && reader.End ? message : null;
    }

    /// <summary>
    /// Gives a message read from a frame that is only lent (a receive buffer) copies of the values that may be read
    /// after the frame is gone, in one array of its own: data, args, promise and the heartbeat interval. Its strings
    /// are its own already. The user dict, about half of a forwarded frame, is not copied: whoever reads it must do so
    /// while the frame is lent, and then drop it from the message.
    /// </summary>
    public static void DetachValues(RpcMethodV4 message)
    {
        ArgumentNullException.ThrowIfNull(message);
        int length = LengthOf(message.Data) + LengthOf(message.Args) + LengthOf(message.Promise) + LengthOf(message.T);
        if (length == 0)
        {
            return;
        }

        byte[] owned = new byte[length];
        int at = 0;
        message.Data = CopyInto(message.Data, owned, ref at);
        message.Args = CopyInto(message.Args, owned, ref at);
        message.Promise = CopyInto(message.Promise, owned, ref at);
        message.T = CopyInto(message.T, owned, ref at);
    }

    /// <summary>
    /// Sets every field of <paramref name="message"/> back to what a new message has, so that a sender can reuse the
    /// object for its next message once the last one is written.
    /// </summary>
    public static void Clear(RpcMethodV4 message)
    {
        ArgumentNullException.ThrowIfNull(message);
        message.Type = "";
        message.From = null;
        message.To = null;
        message.Method = null;
        message.Parent = null;
        message.Session = null;
        message.Ws = null;
        message.User = null;
        message.Data = null;
        message.Args = null;
        message.WithKwargs = null;
        message.Promise = null;
        message.T = null;
        message.Records = null;
    }

    private static int LengthOf(RawMsgPack? value) => value is { } raw ? raw.Bytes.Length : 0;

    private static RawMsgPack? CopyInto(RawMsgPack? value, byte[] owned, ref int at)
    {
        if (value is not { } raw)
        {
            return null;
        }

        ReadOnlySpan<byte> bytes = raw.Bytes.Span;
        bytes.CopyTo(owned.AsSpan(at));
        RawMsgPack copy = RawMsgPack.Trusted(owned.AsMemory(at, bytes.Length));
        at += bytes.Length;
        return copy;
    }

    /// <summary>Writes a message as a hypha frame: <c>main</c>, then <c>extra</c> when it has fields.</summary>
    public static void WriteFrame(IBufferWriter<byte> output, RpcMethodV4 message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var writer = new MsgPackWriter(output);
        RpcMethodV4.WriteMsgPack(ref writer, message);
        writer.Flush();
    }

    /// <summary>The frame of a message, in a new array.</summary>
    public static byte[] ToFrame(RpcMethodV4 message)
    {
        var output = new ArrayBufferWriter<byte>(256 + (message?.Args?.Bytes.Length ?? 0));
        WriteFrame(output, message!);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>The compact promise's marker, <c>"*"</c>, encoded.</summary>
    public static RawMsgPack CompactPromiseMarker { get; } = RawMsgPack.From(HyphaKeys.CompactPromise);

    /// <summary>A number as the hypha-rpc clients write it: an int when it is whole (a JavaScript number), else a float 64.</summary>
    public static RawMsgPack Number(double value) => RawMsgPack.From(MapFields.Number(value));

    /// <summary>The message's call: its arguments decoded, its keyword flag and promise.</summary>
    /// <exception cref="MsgPackException">A value breaks a reader limit.</exception>
    /// <exception cref="HyphaProtocolException">args is not an array, the kwargs are not a map, or the promise is malformed.</exception>
    public static HyphaCall CallOf(RpcMethodV4 message, MsgPackReaderOptions options) =>
        HyphaCall.FromParts(ArgumentsOf(message, options), message.WithKwargs == true, PromiseOf(message, options));

    /// <summary>The message's arguments decoded (the kwargs map last when <c>with_kwargs</c> is set); empty when it has none.</summary>
    /// <exception cref="MsgPackException">A value breaks a reader limit.</exception>
    /// <exception cref="HyphaProtocolException">args is not an array.</exception>
    public static MsgPackValue[] ArgumentsOf(RpcMethodV4 message, MsgPackReaderOptions options)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Args is not { IsNil: false } raw)
        {
            return [];
        }

        MsgPackValue value = raw.ToValue(options);
        return value.TryGetArray(out MsgPackValue[]? items)
            ? items
            : throw new HyphaProtocolException($"call: 'args' must be an array but is {value.Kind}.");
    }

    /// <summary>How the message's sender wants its result (null for a fire-and-forget call).</summary>
    /// <exception cref="HyphaProtocolException">The promise is malformed.</exception>
    public static HyphaPromise? PromiseOf(RpcMethodV4 message, MsgPackReaderOptions options)
    {
        ArgumentNullException.ThrowIfNull(message);
        return message.Promise is { } promiseValue
            ? HyphaPromise.Read(promiseValue.ToValue(options), message.T?.ToValue(options) ?? MsgPackValue.Nil)
            : null;
    }

    /// <summary>The message's <c>main</c> map (the routing fields), as a receiver's context shows it.</summary>
    /// <exception cref="MsgPackException">The user map breaks a reader limit.</exception>
    public static MsgPackMap MainOf(RpcMethodV4 message, MsgPackReaderOptions options)
    {
        ArgumentNullException.ThrowIfNull(message);
        var main = new MsgPackMap(9) { { HyphaKeys.Type, message.Type } };
        AddIfPresent(main, HyphaKeys.From, message.From);
        AddIfPresent(main, HyphaKeys.To, message.To);
        AddIfPresent(main, HyphaKeys.Method, message.Method);
        AddIfPresent(main, HyphaKeys.Parent, message.Parent);
        AddIfPresent(main, HyphaKeys.Session, message.Session);
        AddIfPresent(main, HyphaKeys.Workspace, message.Ws);
        if (message.User is { } user)
        {
            main.Add(HyphaKeys.User, user.ToValue(options));
        }

        if (message.Data is { } data)
        {
            main.Add(HyphaKeys.Data, data.ToValue(options));
        }

        return main;
    }

    /// <summary>The whole message as one map, <c>main</c> merged with <c>extra</c>, as hypha hands events to handlers.</summary>
    /// <exception cref="MsgPackException">A value breaks a reader limit.</exception>
    public static MsgPackMap Merge(RpcMethodV4 message, MsgPackReaderOptions options)
    {
        MsgPackMap merged = MainOf(message, options);
        AddIfPresent(merged, HyphaKeys.Args, message.Args, options);
        if (message.WithKwargs is { } withKwargs)
        {
            merged.Set(HyphaKeys.WithKwargs, withKwargs);
        }

        AddIfPresent(merged, HyphaKeys.Promise, message.Promise, options);
        AddIfPresent(merged, HyphaKeys.HeartbeatInterval, message.T, options);
        return merged;
    }

    private static void AddIfPresent(MsgPackMap map, string key, string? value)
    {
        if (value is not null)
        {
            map.Add(key, value);
        }
    }

    private static void AddIfPresent(MsgPackMap map, string key, RawMsgPack? value, MsgPackReaderOptions options)
    {
        if (value is { } raw)
        {
            map.Set(key, raw.ToValue(options));
        }
    }
}
