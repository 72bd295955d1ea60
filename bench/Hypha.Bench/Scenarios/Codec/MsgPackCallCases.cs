using System.Buffers;
using Hypha.Bench.Harness;
using Hypha.Protocol.Messages;
using Hypha.Protocol.MsgPack;

namespace Hypha.Bench.Scenarios.Codec;

/// <summary>The <c>msgpack/call*</c> cases: the typical call frame through our msgpack codec and message model.</summary>
internal static class MsgPackCallCases
{
    public const string Encode = "msgpack/call-encode";
    public const string Write = "msgpack/call-write";
    public const string EncodeDirect = "msgpack/call-encode-direct";
    public const string Decode = "msgpack/call-decode";
    public const string RoundTrip = "msgpack/call";

    /// <summary>Measures the cases; returns the encode+decode figure, the baseline for other codecs' ratios.</summary>
    public static Measurement Run(BenchContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var output = new ArrayBufferWriter<byte>(256);
        (MsgPackMap main, MsgPackMap extra) = SampleCall.BuildModel();
        byte[] frame = CheckFrame(output, main, extra);

        IReadOnlyDictionary<string, Measurement> m = context.Measure(new CaseSet()
            .Add(Encode, new CallEncodeOperation(output))
            .Add(Write, new CallWriteOperation(output, main, extra))
            .Add(EncodeDirect, new CallEncodeDirectOperation(output))
            .Add(Decode, new CallDecodeOperation(frame))
            .Add(RoundTrip, new CallRoundTripOperation(output)));

        foreach (string name in (string[])[Encode, Write, EncodeDirect, Decode, RoundTrip])
        {
            context.Emit(name, Metrics.Bytes, frame.Length);
        }

        context.EmitTimeRatio(Write, m[Write], Encode, m[Encode]);
        context.EmitTimeRatio(EncodeDirect, m[EncodeDirect], Encode, m[Encode]);
        return m[RoundTrip];
    }

    // Every path must produce and read the same bytes, or the comparison means nothing.
    private static byte[] CheckFrame(ArrayBufferWriter<byte> output, MsgPackMap main, MsgPackMap extra)
    {
        output.ResetWrittenCount();
        HyphaFrame.Write(output, main, extra);
        byte[] model = output.WrittenSpan.ToArray();

        output.ResetWrittenCount();
        var writer = new MsgPackWriter(output);
        SampleCall.WriteDirect(ref writer);
        writer.Flush();
        if (!output.WrittenSpan.SequenceEqual(model))
        {
            throw new InvalidOperationException(
                $"The direct writer's frame differs from the model's: {Convert.ToHexString(output.WrittenSpan)} vs {Convert.ToHexString(model)}.");
        }

        if (SampleCall.Decode(model) != SampleCall.ExpectedDecode)
        {
            throw new InvalidOperationException("The call frame does not decode to what was encoded.");
        }

        return model;
    }
}
