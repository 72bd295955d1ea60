using System.Buffers;
using Hypha.Protocol.Messages;
using Hypha.Protocol.MsgPack;

namespace Hypha.Bench.Scenarios.Codec;

/// <summary>
/// A call frame whose one argument is 64 KiB of bytes: main as in <see cref="SampleCall"/>, extra
/// <c>{args:[bin 64 KiB], promise:"*", t:15}</c>. Both decoders below decode main into the model, as every
/// receiver does; they differ only in how they get the argument out of extra.
/// </summary>
internal static class SampleBinary
{
    public const int PayloadLength = 64 * 1024;

    /// <summary>Incompressible, reproducible payload bytes.</summary>
    public static byte[] CreatePayload()
    {
        byte[] payload = new byte[PayloadLength];
        new Random(20240601).NextBytes(payload);
        return payload;
    }

    /// <summary>Writes the frame with <see cref="MsgPackWriter"/> calls only.</summary>
    public static void Write(ref MsgPackWriter writer, ReadOnlySpan<byte> payload)
    {
        SampleCall.WriteMain(ref writer);
        writer.WriteMapHeader(3);
        writer.Write(HyphaKeys.Args);
        writer.WriteArrayHeader(1);
        writer.WriteBinary(payload);
        SampleCall.WritePromise(ref writer);
    }

    /// <summary>
    /// Finds the argument with <see cref="MsgPackReader"/>: the bytes come back as a slice of the frame
    /// (<see cref="MsgPackReader.ReadBytes"/>), not copied.
    /// </summary>
    public static ReadOnlySequence<byte> ReadArgumentZeroCopy(ReadOnlyMemory<byte> bytes)
    {
        HyphaFrame frame = HyphaFrame.Decode(bytes);
        var reader = new MsgPackReader(frame.ExtraBytes);
        ReadOnlySequence<byte>? argument = null;
        int entries = reader.ReadMapHeader();
        for (int i = 0; i < entries; i++)
        {
            ReadOnlySequence<byte> key = reader.ReadStringSequence();
            if (argument is null && key.IsSingleSegment && key.FirstSpan.SequenceEqual("args"u8))
            {
                int count = reader.ReadArrayHeader();
                if (count > 0)
                {
                    argument = reader.ReadBytes();
                    count--;
                }

                for (; count > 0; count--)
                {
                    reader.Skip();
                }
            }
            else
            {
                reader.Skip();
            }
        }

        return argument ?? throw new InvalidOperationException("The frame carries no binary argument.");
    }

    /// <summary>Decodes extra into the model with <see cref="MsgPackValue.Parse"/>, which copies the bytes.</summary>
    public static ReadOnlyMemory<byte> ReadArgumentParsed(ReadOnlyMemory<byte> bytes)
    {
        HyphaFrame frame = HyphaFrame.Decode(bytes);
        MsgPackMap extra = MsgPackValue.Parse(frame.ExtraBytes).AsMap();
        return extra[HyphaKeys.Args].AsArray()[0].AsBinary();
    }
}
