using System.Buffers;
using System.Runtime.CompilerServices;
using Hypha.Bench.Harness;
using Hypha.Protocol.MsgPack;

namespace Hypha.Bench.Scenarios.Codec;

/// <summary>Writes the 64 KiB frame with <see cref="MsgPackWriter"/> into the reused buffer.</summary>
internal readonly struct BinaryEncodeOperation(ArrayBufferWriter<byte> output, byte[] payload) : IOperation
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    public long Invoke() => BinaryOperations.Encode(output, payload);
}

/// <summary>Decodes the 64 KiB frame, taking the argument as a slice of the frame.</summary>
internal readonly struct BinaryDecodeOperation(ReadOnlyMemory<byte> frame) : IOperation
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    public long Invoke() => BinaryOperations.Use(SampleBinary.ReadArgumentZeroCopy(frame));
}

/// <summary>Decodes the 64 KiB frame, copying the argument out through <see cref="MsgPackValue.Parse"/>.</summary>
internal readonly struct BinaryDecodeParseOperation(ReadOnlyMemory<byte> frame) : IOperation
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    public long Invoke() => BinaryOperations.Use(SampleBinary.ReadArgumentParsed(frame));
}

/// <summary>Encodes the 64 KiB frame, then decodes it with the zero-copy reader.</summary>
internal readonly struct BinaryRoundTripOperation(ArrayBufferWriter<byte> output, byte[] payload) : IOperation
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    public long Invoke()
    {
        BinaryOperations.Encode(output, payload);
        return BinaryOperations.Use(SampleBinary.ReadArgumentZeroCopy(output.WrittenMemory));
    }
}

/// <summary>Encodes the 64 KiB frame, then decodes it with <see cref="MsgPackValue.Parse"/>.</summary>
internal readonly struct BinaryRoundTripParseOperation(ArrayBufferWriter<byte> output, byte[] payload) : IOperation
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    public long Invoke()
    {
        BinaryOperations.Encode(output, payload);
        return BinaryOperations.Use(SampleBinary.ReadArgumentParsed(output.WrittenMemory));
    }
}

/// <summary>The steps the binary operations share.</summary>
internal static class BinaryOperations
{
    public static long Encode(ArrayBufferWriter<byte> output, byte[] payload)
    {
        output.ResetWrittenCount();
        var writer = new MsgPackWriter(output);
        SampleBinary.Write(ref writer, payload);
        writer.Flush();
        return output.WrittenCount;
    }

    // Touches the argument without reading all of it: neither decoder should be charged for a scan.
    public static long Use(ReadOnlySequence<byte> argument) => argument.Length + argument.FirstSpan[^1];

    public static long Use(ReadOnlyMemory<byte> argument) => argument.Length + argument.Span[^1];
}
