using System.Buffers;
using Hypha.Protocol.Messages;
using Hypha.Protocol.MsgPack;
using Hypha.Protocol.Native;
using Hypha.Protocol.Schemas;

namespace Hypha.Server.Native;

/// <summary>
/// The envelope schemas one native client agreed at Hello (docs/wire-format.md §7) beyond the built-in ones
/// (<see cref="Transport.Multiplexing.EnvelopeCodec"/>): versions the client taught with their definitions, compiled
/// here at run time. The server transcodes a taught version's messages to and from hypha
/// frames, so that such a client meets every other peer.
/// </summary>
internal sealed class NativeEnvelopes
{
    private readonly Dictionary<int, CompiledSchema> _learned = [];

    /// <summary>Reads the agreement; an offer agreed but not compilable (it cannot happen with this server's own answer) is left out.</summary>
    public NativeEnvelopes(NativeAgreement agreement)
    {
        ArgumentNullException.ThrowIfNull(agreement);
        for (int number = 0; number < agreement.Schemas.Count; number++)
        {
            SchemaOffer offer = agreement.Schemas[number];
            if (EnvelopeSchemas.IsBuiltIn(offer))
            {
                BuiltIn = true;
            }
            else if (!EnvelopeSchemas.IsStreamItem(offer) && EnvelopeSchemas.TryLearn(offer) is { } compiled)
            {
                _learned[number] = compiled;
            }
        }

        ForSending = BuiltIn ? null : _learned.OrderBy(entry => entry.Key).Select(entry => entry.Value).FirstOrDefault();
    }

    /// <summary>True when the client agreed the built-in envelope: messages to it go in its binary form.</summary>
    public bool BuiltIn { get; }

    /// <summary>The taught version messages to the client go in, when it did not agree the built-in one.</summary>
    public CompiledSchema? ForSending { get; }

    /// <summary>The taught version with agreed number <paramref name="number"/>, or null.</summary>
    public CompiledSchema? Learned(int number) => _learned.GetValueOrDefault(number);

    /// <summary>A hypha frame as a record of a taught version; null when the frame does not have its shape.</summary>
    public SchemaRecord? TryRecord(CompiledSchema schema, ReadOnlyMemory<byte> frame)
    {
        ArgumentNullException.ThrowIfNull(schema);
        try
        {
            var reader = new MsgPackReader(frame, HyphaFrame.DefaultReaderOptions);
            SchemaRecord? record = schema.TryReadMsgPack(ref reader);
            return record is not null && reader.End ? record : null;
        }
        catch (MsgPackException)
        {
            return null;
        }
    }

    /// <summary>A record of a taught version as the hypha frame it stands for.</summary>
    public ReadOnlyMemory<byte> ToFrame(CompiledSchema schema, SchemaRecord record)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var output = new ArrayBufferWriter<byte>(256);
        var writer = new MsgPackWriter(output);
        schema.WriteMsgPack(ref writer, record);
        writer.Flush();
        return output.WrittenMemory;
    }
}
