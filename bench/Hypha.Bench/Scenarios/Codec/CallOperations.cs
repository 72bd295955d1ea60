using System.Buffers;
using System.Runtime.CompilerServices;
using Hypha.Bench.Harness;
using Hypha.Protocol.Messages;
using Hypha.Protocol.MsgPack;

namespace Hypha.Bench.Scenarios.Codec;

/// <summary>Builds the call with the message model and writes it into the reused buffer.</summary>
internal readonly struct CallEncodeOperation(ArrayBufferWriter<byte> output) : IOperation
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    public long Invoke()
    {
        output.ResetWrittenCount();
        (MsgPackMap main, MsgPackMap extra) = SampleCall.BuildModel();
        HyphaFrame.Write(output, main, extra);
        return output.WrittenCount;
    }
}

/// <summary>Writes an already built model into the reused buffer: the serialiser alone.</summary>
internal readonly struct CallWriteOperation(ArrayBufferWriter<byte> output, MsgPackMap main, MsgPackMap extra) : IOperation
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    public long Invoke()
    {
        output.ResetWrittenCount();
        HyphaFrame.Write(output, main, extra);
        return output.WrittenCount;
    }
}

/// <summary>Writes the call with <see cref="MsgPackWriter"/> calls only into the reused buffer.</summary>
internal readonly struct CallEncodeDirectOperation(ArrayBufferWriter<byte> output) : IOperation
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    public long Invoke()
    {
        output.ResetWrittenCount();
        var writer = new MsgPackWriter(output);
        SampleCall.WriteDirect(ref writer);
        writer.Flush();
        return output.WrittenCount;
    }
}

/// <summary>Decodes the call frame into the model and reads its arguments.</summary>
internal readonly struct CallDecodeOperation(ReadOnlyMemory<byte> frame) : IOperation
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    public long Invoke() => SampleCall.Decode(frame);
}

/// <summary>Encodes with the model, then decodes what was written: one call's worth of codec work at both ends.</summary>
internal readonly struct CallRoundTripOperation(ArrayBufferWriter<byte> output) : IOperation
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    public long Invoke()
    {
        output.ResetWrittenCount();
        (MsgPackMap main, MsgPackMap extra) = SampleCall.BuildModel();
        HyphaFrame.Write(output, main, extra);
        return SampleCall.Decode(output.WrittenMemory);
    }
}
