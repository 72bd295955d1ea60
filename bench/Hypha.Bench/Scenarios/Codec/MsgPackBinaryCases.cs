using System.Buffers;
using Hypha.Bench.Harness;
using Hypha.Protocol.MsgPack;

namespace Hypha.Bench.Scenarios.Codec;

/// <summary>The <c>msgpack/bin64k*</c> cases: a call carrying one 64 KiB bin argument.</summary>
internal static class MsgPackBinaryCases
{
    public const string Encode = "msgpack/bin64k-encode";
    public const string Decode = "msgpack/bin64k-decode";
    public const string DecodeParse = "msgpack/bin64k-decode-parse";
    public const string RoundTrip = "msgpack/bin64k";
    public const string RoundTripParse = "msgpack/bin64k-parse";

    public static void Run(BenchContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        byte[] payload = SampleBinary.CreatePayload();
        var output = new ArrayBufferWriter<byte>(SampleBinary.PayloadLength + 1024);
        byte[] frame = CheckFrame(output, payload);

        IReadOnlyDictionary<string, Measurement> m = context.Measure(new CaseSet()
            .Add(Encode, new BinaryEncodeOperation(output, payload))
            .Add(Decode, new BinaryDecodeOperation(frame))
            .Add(DecodeParse, new BinaryDecodeParseOperation(frame))
            .Add(RoundTrip, new BinaryRoundTripOperation(output, payload))
            .Add(RoundTripParse, new BinaryRoundTripParseOperation(output, payload)));

        foreach (string name in (string[])[Encode, Decode, DecodeParse, RoundTrip, RoundTripParse])
        {
            context.Emit(name, Metrics.Bytes, frame.Length);
            context.Emit(name, Metrics.BytesPerSecond, frame.Length * m[name].OpsPerSecond);
        }

        context.EmitTimeRatio(Decode, m[Decode], DecodeParse, m[DecodeParse]);
        context.EmitTimeRatio(RoundTrip, m[RoundTrip], RoundTripParse, m[RoundTripParse]);
    }

    private static byte[] CheckFrame(ArrayBufferWriter<byte> output, byte[] payload)
    {
        BinaryOperations.Encode(output, payload);
        byte[] frame = output.WrittenSpan.ToArray();
        ReadOnlySequence<byte> slice = SampleBinary.ReadArgumentZeroCopy(frame);
        ReadOnlyMemory<byte> copy = SampleBinary.ReadArgumentParsed(frame);
        if (!slice.IsSingleSegment || !slice.FirstSpan.SequenceEqual(payload) || !copy.Span.SequenceEqual(payload))
        {
            throw new InvalidOperationException("The 64 KiB frame does not decode to its payload.");
        }

        return frame;
    }
}
