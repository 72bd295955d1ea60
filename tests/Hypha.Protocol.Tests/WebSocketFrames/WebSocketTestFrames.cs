using System.Buffers;
using Hypha.Protocol.WebSocketFrames;

namespace Hypha.Protocol.Tests.WebSocketFrames;

/// <summary>Frames as a client writes them (masked, with a key that varies) or as a server does.</summary>
internal static class WebSocketTestFrames
{
    private static uint s_key = 0x9a3c5e71;

    public static byte[] Client(WebSocketOpcode opcode, ReadOnlySpan<byte> payload, bool fin = true) =>
        Write(opcode, payload, fin, s_key = unchecked((s_key * 2654435761u) + 1));

    public static byte[] Client(WebSocketOpcode opcode, string text, bool fin = true) =>
        Client(opcode, System.Text.Encoding.UTF8.GetBytes(text), fin);

    public static byte[] Server(WebSocketOpcode opcode, ReadOnlySpan<byte> payload, bool fin = true) => Write(opcode, payload, fin, null);

    public static byte[] Close(int code, string reason) => Client(WebSocketOpcode.Close, [(byte)(code >> 8), (byte)code, .. System.Text.Encoding.UTF8.GetBytes(reason)]);

    public static byte[] Concat(params byte[][] frames) => frames.SelectMany(f => f).ToArray();

    private static byte[] Write(WebSocketOpcode opcode, ReadOnlySpan<byte> payload, bool fin, uint? key)
    {
        var output = new ArrayBufferWriter<byte>();
        WebSocketFrameHeader.WriteFrame(output, opcode, payload, fin, key);
        return output.WrittenSpan.ToArray();
    }
}
