using System.Buffers;
using Hypha.Protocol.Messages;
using Hypha.Protocol.MsgPack;

namespace Hypha.Server.Routing;

/// <summary>Builds the frame the router forwards: the rewritten <c>main</c>, then the sender's <c>extra</c> bytes unchanged.</summary>
internal static class FrameEncoder
{
    // Room for the stamped main (the user dict is a few hundred bytes), so the buffer rarely has to grow.
    private const int MainAllowance = 1024;

    /// <summary>Encodes <paramref name="main"/> followed by <paramref name="rawExtra"/> into a new buffer.</summary>
    public static ReadOnlyMemory<byte> Encode(MsgPackMap main, ReadOnlySpan<byte> rawExtra)
    {
        var output = new ArrayBufferWriter<byte>(rawExtra.Length + MainAllowance);
        HyphaFrame.Write(output, main, rawExtra);
        return output.WrittenMemory;
    }
}
