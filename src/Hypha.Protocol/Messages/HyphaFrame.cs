using System.Buffers;
using Hypha.Protocol.MsgPack;

namespace Hypha.Protocol.Messages;

/// <summary>
/// One binary hypha frame: <c>msgpack(main)</c> immediately followed by an optional <c>msgpack(extra)</c>, with no
/// length prefix. Only <c>main</c> is decoded eagerly; the bytes of <c>extra</c> are kept untouched so that a server
/// can forward them byte for byte (re-encoding would change number widths that Python peers care about).
/// </summary>
public sealed class HyphaFrame
{
    private readonly MsgPackReaderOptions _options;

    private HyphaFrame(ReadOnlyMemory<byte> bytes, MsgPackMap main, int mainLength, MsgPackReaderOptions options)
    {
        Bytes = bytes;
        Main = main;
        MainLength = mainLength;
        _options = options;
    }

    /// <summary>
    /// The reader limits used when none are given: the msgpack defaults, with the protocol's keys and common values
    /// decoded as shared string instances.
    /// </summary>
    public static MsgPackReaderOptions DefaultReaderOptions { get; } =
        MsgPackReaderOptions.Default with { StringPool = HyphaKeys.StringPool };

    /// <summary>The whole frame as received.</summary>
    public ReadOnlyMemory<byte> Bytes { get; }

    /// <summary>The decoded routing map.</summary>
    public MsgPackMap Main { get; }

    /// <summary>A typed view of <see cref="Main"/>.</summary>
    public HyphaEnvelope Envelope => new(Main);

    /// <summary>The number of bytes <c>main</c> occupies at the start of the frame.</summary>
    public int MainLength { get; }

    /// <summary>The undecoded bytes of <c>extra</c> (empty when the frame has none).</summary>
    public ReadOnlyMemory<byte> ExtraBytes => Bytes[MainLength..];

    /// <summary>True when the frame carries an <c>extra</c> segment.</summary>
    public bool HasExtra => Bytes.Length > MainLength;

    /// <summary>Decodes <c>main</c> and locates <c>extra</c>.</summary>
    /// <exception cref="MsgPackException"><c>main</c> is not valid msgpack.</exception>
    /// <exception cref="HyphaProtocolException"><c>main</c> is not a map, or its routing fields have wrong types.</exception>
    public static HyphaFrame Decode(ReadOnlyMemory<byte> frame, MsgPackReaderOptions? options = null)
    {
        options ??= DefaultReaderOptions;
        var reader = new MsgPackReader(frame, options);
        if (reader.End)
        {
            throw new HyphaProtocolException("An empty binary frame carries no message.");
        }

        if (reader.NextType != MsgPackType.Map)
        {
            throw new HyphaProtocolException($"The first object of a frame must be a map, not {reader.NextType}.");
        }

        MsgPackMap main = MsgPackValue.Read(ref reader).AsMap();
        HyphaEnvelope.Validate(main);
        return new HyphaFrame(frame, main, (int)reader.Consumed, options);
    }

    /// <summary>Decodes <c>extra</c>, or returns null when the frame has none.</summary>
    /// <exception cref="MsgPackException"><c>extra</c> is not one valid msgpack value.</exception>
    /// <exception cref="HyphaProtocolException"><c>extra</c> is not a map.</exception>
    public MsgPackMap? DecodeExtra()
    {
        if (!HasExtra)
        {
            return null;
        }

        MsgPackValue extra;
        try
        {
            extra = MsgPackValue.Parse(ExtraBytes, _options);
        }
        catch (MsgPackException ex)
        {
            throw new MsgPackException($"Invalid extra segment: {ex.Message}", MainLength + ex.Offset, ex);
        }

        return extra.TryGetMap(out MsgPackMap? map)
            ? map
            : throw new HyphaProtocolException($"The second object of a frame must be a map, not {extra.Kind}.");
    }

    /// <summary>
    /// <c>main</c> updated with <c>extra</c>, as receivers see a message (<c>main.update(extra)</c>). The trusted
    /// context must be taken from <see cref="Main"/>, before this merge.
    /// </summary>
    public MsgPackMap Merge()
    {
        MsgPackMap merged = Main.Clone();
        if (DecodeExtra() is { } extra)
        {
            foreach (KeyValuePair<MsgPackValue, MsgPackValue> entry in extra)
            {
                if (entry.Key.TryGetString(out string? key))
                {
                    merged.Set(key, entry.Value);
                }
            }
        }

        return merged;
    }

    /// <summary>Writes a frame from <c>main</c> and an optional <c>extra</c>.</summary>
    public static void Write(IBufferWriter<byte> output, MsgPackMap main, MsgPackMap? extra = null)
    {
        var writer = new MsgPackWriter(output);
        ((MsgPackValue)main).WriteTo(ref writer);
        if (extra is not null)
        {
            ((MsgPackValue)extra).WriteTo(ref writer);
        }

        writer.Flush();
    }

    /// <summary>Writes a frame from a (rewritten) <c>main</c> and the original bytes of <c>extra</c>, unchanged.</summary>
    public static void Write(IBufferWriter<byte> output, MsgPackMap main, ReadOnlySpan<byte> rawExtra)
    {
        var writer = new MsgPackWriter(output);
        ((MsgPackValue)main).WriteTo(ref writer);
        writer.WriteRaw(rawExtra);
        writer.Flush();
    }
}
