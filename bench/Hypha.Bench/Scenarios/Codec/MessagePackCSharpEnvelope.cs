using System.Buffers;
using MessagePack;
using MessagePack.Formatters;
using MessagePack.Resolvers;

namespace Hypha.Bench.Scenarios.Codec;

/// <summary>
/// The hypha frame of <see cref="EnvelopeSample"/> as MessagePack-CSharp 2.5 sees it: two string-keyed objects, main's
/// map then extra's, written and read by the library's generated (Reflection.Emit) formatters. The any fields stay
/// encoded msgpack, as in every other case: a formatter copies them in and out with <c>WriteRaw</c>/<c>ReadRaw</c>.
/// Public because the library emits its formatters into another assembly.
/// </summary>
public static class MessagePackCSharpEnvelope
{
    /// <summary>The options of every call: the raw formatter, then the standard resolver.</summary>
    public static MessagePackSerializerOptions Options { get; } = MessagePackSerializerOptions.Standard.WithResolver(
        CompositeResolver.Create([new RawValueFormatter()], [StandardResolver.Instance]));

    /// <summary>The sample as the two objects.</summary>
    public static (MainSegment Main, ExtraSegment Extra) Sample()
    {
        Hypha.Protocol.Schemas.RpcMethodV4 m = EnvelopeSample.Generated();
        return (
            new MainSegment { Type = m.Type, From = m.From, To = m.To, Method = m.Method, Session = m.Session },
            new ExtraSegment
            {
                Args = new RawValue(m.Args!.Value.Bytes),
                Promise = new RawValue(m.Promise!.Value.Bytes),
                T = new RawValue(m.T!.Value.Bytes),
            });
    }

    /// <summary>Main's fields, in the hypha frame's order.</summary>
    [MessagePackObject]
    public sealed class MainSegment
    {
        /// <summary>type.</summary>
        [Key("type")]
        public string Type { get; set; } = "";

        /// <summary>from.</summary>
        [Key("from")]
        public string? From { get; set; }

        /// <summary>to.</summary>
        [Key("to")]
        public string? To { get; set; }

        /// <summary>method.</summary>
        [Key("method")]
        public string? Method { get; set; }

        /// <summary>session.</summary>
        [Key("session")]
        public string? Session { get; set; }
    }

    /// <summary>Extra's fields.</summary>
    [MessagePackObject]
    public sealed class ExtraSegment
    {
        /// <summary>args, encoded.</summary>
        [Key("args")]
        public RawValue Args { get; set; }

        /// <summary>promise, encoded.</summary>
        [Key("promise")]
        public RawValue Promise { get; set; }

        /// <summary>t, encoded.</summary>
        [Key("t")]
        public RawValue T { get; set; }
    }

    /// <summary>One msgpack value kept encoded.</summary>
    public readonly record struct RawValue(ReadOnlyMemory<byte> Bytes);

    private sealed class RawValueFormatter : IMessagePackFormatter<RawValue>
    {
        public void Serialize(ref MessagePackWriter writer, RawValue value, MessagePackSerializerOptions options) =>
            writer.WriteRaw(value.Bytes.Span);

        public RawValue Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options)
        {
            ReadOnlySequence<byte> raw = reader.ReadRaw();
            return new RawValue(raw.IsSingleSegment ? raw.First : raw.ToArray());
        }
    }
}
