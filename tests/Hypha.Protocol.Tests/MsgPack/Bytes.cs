using System.Buffers;
using Hypha.Protocol.MsgPack;

namespace Hypha.Protocol.Tests.MsgPack;

/// <summary>Something to do with a writer, since a ref struct cannot be captured by a lambda.</summary>
internal delegate void WriteAction(ref MsgPackWriter writer);

/// <summary>Small helpers to build and show byte arrays in tests.</summary>
internal static class Bytes
{
    /// <summary>Bytes from hex text; spaces are ignored ("c0 d9 01").</summary>
    public static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));

    /// <summary>Lower-case hex of the bytes, for readable assertion failures.</summary>
    public static string ToHex(ReadOnlySpan<byte> bytes) => Convert.ToHexString(bytes).ToLowerInvariant();

    /// <summary>Concatenates pieces.</summary>
    public static byte[] Concat(params byte[][] pieces) => pieces.SelectMany(p => p).ToArray();

    /// <summary>A buffer of <paramref name="length"/> bytes with a recognisable pattern.</summary>
    public static byte[] Pattern(int length, int seed = 7)
    {
        var data = new byte[length];
        for (int i = 0; i < length; i++)
        {
            data[i] = unchecked((byte)(i * 31 + seed));
        }

        return data;
    }

    /// <summary>Runs <paramref name="action"/> on a writer over a fresh buffer, flushes, and returns what was written.</summary>
    public static byte[] Write(WriteAction action)
    {
        var output = new ArrayBufferWriter<byte>();
        var writer = new MsgPackWriter(output);
        action(ref writer);
        writer.Flush();
        return output.WrittenSpan.ToArray();
    }

    /// <summary>Reads one whole value from <paramref name="input"/> and checks that nothing is left.</summary>
    public static MsgPackValue ReadWhole(ReadOnlySequence<byte> input, MsgPackReaderOptions? options = null)
    {
        var reader = new MsgPackReader(input, options);
        MsgPackValue value = MsgPackValue.Read(ref reader);
        if (!reader.End)
        {
            throw new MsgPackException($"{reader.Remaining} unexpected bytes after the value", reader.Consumed);
        }

        return value;
    }
}
