using Hypha.Protocol.Buffers;
using Hypha.Protocol.MsgPack;

namespace Hypha.Protocol.Native;

/// <summary>
/// A control frame's payload: one <see cref="ControlType"/> byte, then a msgpack map (docs/wire-format.md §6).
/// Decoding checks the size, the type and the body's shape; typed views read the fields.
/// </summary>
/// <param name="Type">What the message is.</param>
/// <param name="Body">Its fields; unknown keys are kept and ignored.</param>
public readonly record struct ControlMessage(ControlType Type, MsgPackMap Body)
{
    /// <summary>The largest control payload a peer may send.</summary>
    public const int MaxPayload = 64 * 1024;

    /// <summary>
    /// The reader limits of a control body: a map of a few settings, nothing legitimate nests deeper or holds more
    /// entries.
    /// </summary>
    public static MsgPackReaderOptions BodyLimits { get; } = new()
    {
        MaxDepth = 8,
        MaxCollectionLength = 4096,
        MaxTotalEntries = 16 * 1024,
        MaxTotalSize = MaxPayload,
    };

    /// <summary>A control payload of <paramref name="type"/> whose body is already encoded.</summary>
    public static byte[] Encode(ControlType type, ReadOnlySpan<byte> body)
    {
        byte[] payload = new byte[1 + body.Length];
        payload[0] = (byte)type;
        body.CopyTo(payload.AsSpan(1));
        return payload;
    }

    /// <summary>Encodes the message into a new array.</summary>
    public byte[] Encode()
    {
        using var buffer = new PooledBufferWriter(256);
        buffer.GetSpan(1)[0] = (byte)Type;
        buffer.Advance(1);
        var writer = new MsgPackWriter(buffer);
        ((MsgPackValue)Body).WriteTo(ref writer);
        writer.Flush();
        return buffer.WrittenMemory.ToArray();
    }

    /// <summary>Decodes a control payload.</summary>
    /// <exception cref="NativeProtocolException">Too large, an unknown type, or a body that is not one msgpack map.</exception>
    public static ControlMessage Decode(ReadOnlyMemory<byte> payload)
    {
        if (payload.Length > MaxPayload)
        {
            throw new NativeProtocolException(NativeErrorCode.FrameTooLarge, $"A control message of {payload.Length} bytes is over the maximum of {MaxPayload}");
        }

        if (payload.IsEmpty || payload.Span[0] is < (byte)ControlType.Hello or > (byte)ControlType.ShmRelease)
        {
            string type = payload.IsEmpty ? "none" : payload.Span[0].ToString(System.Globalization.CultureInfo.InvariantCulture);
            throw new NativeProtocolException(NativeErrorCode.ProtocolError, $"Unknown control message type {type}");
        }

        try
        {
            MsgPackValue body = MsgPackValue.Parse(payload[1..], BodyLimits);
            return body.TryGetMap(out MsgPackMap? map)
                ? new ControlMessage((ControlType)payload.Span[0], map)
                : throw new NativeProtocolException(NativeErrorCode.ProtocolError, $"The body of control message {(ControlType)payload.Span[0]} is not a map");
        }
        catch (MsgPackException ex)
        {
            throw new NativeProtocolException(NativeErrorCode.ProtocolError, $"Control message {(ControlType)payload.Span[0]} is not valid msgpack: {ex.Message}", ex);
        }
    }

    /// <summary>Reads an integer field within bounds.</summary>
    /// <exception cref="NativeProtocolException">Missing, not an integer, or out of bounds.</exception>
    public long ReadInt(string key, long min, long max)
    {
        if (!Body.TryGetValue(key, out MsgPackValue value) || !value.TryGetInt64(out long number))
        {
            throw new NativeProtocolException(NativeErrorCode.ProtocolError, $"{Type} needs an integer '{key}'");
        }

        return number >= min && number <= max
            ? number
            : throw new NativeProtocolException(NativeErrorCode.ProtocolError, $"{Type} '{key}' is {number}, outside {min}..{max}");
    }

    /// <summary>Reads an optional string field ("" when absent or not a string).</summary>
    public string ReadText(string key) => Body.TryGetString(key, out string? text) ? text : string.Empty;
}
