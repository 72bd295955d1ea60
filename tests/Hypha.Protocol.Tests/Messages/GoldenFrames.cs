using System.Buffers;
using Hypha.Protocol.Messages;
using Hypha.Protocol.MsgPack;

namespace Hypha.Protocol.Tests.Messages;

/// <summary>Loads the frames recorded from the npm hypha-rpc client (see Fixtures/hypha-frames/README.md).</summary>
internal static class GoldenFrames
{
    public static string Directory { get; } = Path.Combine(AppContext.BaseDirectory, "Fixtures", "hypha-frames");

    public static IEnumerable<string> Names =>
        System.IO.Directory.EnumerateFiles(Directory, "*.bin").Select(Path.GetFileNameWithoutExtension).Order()!;

    public static byte[] Bytes(string name) => File.ReadAllBytes(Path.Combine(Directory, name + ".bin"));

    public static HyphaFrame Frame(string name) => HyphaFrame.Decode(Bytes(name));

    public static byte[] Encode(MsgPackMap main, MsgPackMap? extra)
    {
        var output = new ArrayBufferWriter<byte>();
        HyphaFrame.Write(output, main, extra);
        return output.WrittenSpan.ToArray();
    }
}
