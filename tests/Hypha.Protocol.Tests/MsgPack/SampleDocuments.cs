using Hypha.Protocol.MsgPack;

namespace Hypha.Protocol.Tests.MsgPack;

/// <summary>
/// Valid msgpack documents, each one whole value, together covering every format of the specification
/// (some hand-built in a non-minimal format, such as a str 32 of three bytes, which is valid but never written).
/// </summary>
internal static class SampleDocuments
{
    public static IReadOnlyList<(string Name, byte[] Bytes)> All { get; } = Build();

    /// <summary>The documents as xunit theory data (by name, so that each case is listed).</summary>
    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach ((string name, _) in All)
        {
            data.Add(name);
        }

        return data;
    }

    public static byte[] Get(string name) => All.Single(d => d.Name == name).Bytes;

    /// <summary>A nested document typical of a hypha message, with every family of value inside.</summary>
    public static MsgPackValue Message()
    {
        var kwargs = new MsgPackMap
        {
            { "timeout", 2.5 },
            { "retries", 3 },
            { "ratio", 0.25f },
            { "tags", MsgPackValue.Array("a", "ß", "€uro", "😀") },
            { "blob", Bytes.Pattern(40) },
            { "when", new MsgPackTimestamp(1_700_000_000, 123_456_789) },
            { "ext", MsgPackValue.Extension(42, [1, 2, 3]) },
            { "big", ulong.MaxValue },
            { "neg", long.MinValue },
            { "none", MsgPackValue.Nil },
            { "ok", true },
        };
        var map = new MsgPackMap
        {
            { "type", "method" },
            { "from", "workspace-1/client-ab12" },
            { "to", "workspace-1/service-cd34" },
            { "method", "services.echo.run" },
            { "args", MsgPackValue.Array(1, -1, 300, -300, 70_000, -70_000, 5_000_000_000, "x") },
            { "with_kwargs", kwargs },
            { 7, "integer key" },
            { "text", new string('é', 100) + "😀" + new string('a', 150) },
        };
        return map;
    }

    private static List<(string, byte[])> Build()
    {
        var docs = new List<(string, byte[])>
        {
            ("nil", Bytes.Hex("c0")),
            ("false", Bytes.Hex("c2")),
            ("true", Bytes.Hex("c3")),
            ("positive fixint", Bytes.Hex("7f")),
            ("negative fixint", Bytes.Hex("e0")),
            ("uint 8", Bytes.Hex("cc ff")),
            ("uint 16", Bytes.Hex("cd 12 34")),
            ("uint 32", Bytes.Hex("ce 12 34 56 78")),
            ("uint 64", Bytes.Hex("cf ff ff ff ff ff ff ff ff")),
            ("int 8", Bytes.Hex("d0 80")),
            ("int 16", Bytes.Hex("d1 80 00")),
            ("int 32", Bytes.Hex("d2 80 00 00 00")),
            ("int 64", Bytes.Hex("d3 80 00 00 00 00 00 00 00")),
            ("float 32", Bytes.Hex("ca 3f c0 00 00")),
            ("float 64", Bytes.Hex("cb 40 09 21 fb 54 44 2d 18")),
            ("fixstr empty", Bytes.Hex("a0")),
            ("fixstr", Encode("héllo €")),
            ("str 8", Encode(new string('ü', 20))),
            ("str 16", Encode("😀" + new string('é', 150))),
            ("str 32 (non-minimal)", Bytes.Hex("db 00 00 00 04 61 c3 a9 62")),
            ("bin 8", Encode(Bytes.Pattern(5))),
            ("bin 16", Encode(Bytes.Pattern(300))),
            ("bin 32 (non-minimal)", Bytes.Hex("c6 00 00 00 03 01 02 03")),
            ("fixarray empty", Bytes.Hex("90")),
            ("fixarray", Bytes.Hex("93 01 a1 61 c0")),
            ("array 16", Encode(Enumerable.Range(0, 20).Select(i => (MsgPackValue)i).ToArray())),
            ("array 32 (non-minimal)", Bytes.Hex("dd 00 00 00 02 c3 c2")),
            ("fixmap empty", Bytes.Hex("80")),
            ("fixmap", Bytes.Hex("82 a1 61 01 a1 62 92 02 03")),
            ("map 16", Encode(MapOf(17))),
            ("map 32 (non-minimal)", Bytes.Hex("df 00 00 00 01 a1 6b cc 80")),
            ("fixext 1", Bytes.Hex("d4 05 aa")),
            ("fixext 2", Bytes.Hex("d5 05 aa bb")),
            ("fixext 4", Bytes.Hex("d6 05 01 02 03 04")),
            ("fixext 8", Bytes.Hex("d7 80 01 02 03 04 05 06 07 08")),
            ("fixext 16", Bytes.Hex("d8 7f 00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f")),
            ("ext 8", Bytes.Hex("c7 03 05 01 02 03")),
            ("ext 8 empty", Bytes.Hex("c7 00 05")),
            ("ext 16", Encode(MsgPackValue.Extension(9, Bytes.Pattern(300)))),
            ("ext 32 (non-minimal)", Bytes.Hex("c9 00 00 00 05 f0 01 02 03 04 05")),
            ("timestamp 32", Bytes.Hex("d6 ff 65 53 f1 00")),
            ("timestamp 64", Encode(new MsgPackTimestamp(1_700_000_000, 5))),
            ("timestamp 96", Encode(new MsgPackTimestamp(-1, 999_999_999))),
            ("timestamp 96 (non-minimal)", Bytes.Hex("c7 0c ff 00 00 00 00 00 00 00 00 00 00 00 01")),
            ("nested arrays", Bytes.Hex("91 91 91 92 90 91 c0")),
            ("map with map key", Bytes.Hex("81 81 01 02 92 03 04")),
            ("message", Message().ToBytes()),
        };
        return docs;
    }

    private static byte[] Encode(MsgPackValue value) => value.ToBytes();

    private static MsgPackMap MapOf(int count)
    {
        var map = new MsgPackMap();
        for (int i = 0; i < count; i++)
        {
            map.Add("key" + i, i * 1000);
        }

        return map;
    }
}
