namespace Hypha.Protocol.Tests.MsgPack;

/// <summary>
/// Malformed msgpack, each with the offset that <c>MsgPackException.Offset</c> must report when the whole input is
/// parsed as one value: the start of the offending value (or of the trailing bytes).
/// </summary>
internal static class MalformedDocuments
{
    public static IReadOnlyList<(string Name, byte[] Bytes, long Offset)> All { get; } =
    [
        ("empty input", [], 0),
        ("never-used byte 0xc1", Bytes.Hex("c1"), 0),
        ("0xc1 inside an array", Bytes.Hex("93 01 c1 02"), 2),
        ("0xc1 as a map key", Bytes.Hex("81 c1 01"), 1),
        ("trailing byte after nil", Bytes.Hex("c0 c0"), 1),
        ("trailing bytes after a map", Bytes.Hex("81 a1 61 01 02 03"), 4),
        ("truncated uint 32", Bytes.Hex("ce 00 00 01"), 0),
        ("truncated float 64 in an array", Bytes.Hex("92 01 cb 40 00"), 2),
        ("truncated str 16 header", Bytes.Hex("da 00"), 0),
        ("str 8 body shorter than declared", Bytes.Hex("d9 05 61 62 63"), 0),
        ("truncated str body in a nested map", Bytes.Hex("81 a1 61 81 a2 62 62 a5 78 79 7a"), 7),
        ("bin 16 body shorter than declared", Bytes.Hex("91 c5 00 10 01 02"), 1),
        ("fixext 4 body shorter than declared", Bytes.Hex("d6 05 01 02"), 0),
        ("ext 16 body shorter than declared", Bytes.Hex("c8 01 00 05 00"), 0),
        ("array missing an element", Bytes.Hex("93 01 02"), 0),
        ("array 16 count larger than the input", Bytes.Hex("dc 00 05 01 02"), 0),
        ("map missing a value", Bytes.Hex("82 a1 61 01 a1 62"), 6),
        ("array missing an element after a long one", Bytes.Hex("92 a3 61 62 63"), 5),
        ("map 16 count larger than the input", Bytes.Hex("de 00 02 01 02 03"), 0),
        ("str 32 declaring 4 GiB", Bytes.Hex("db ff ff ff ff 61"), 0),
        ("bin 32 declaring 4 GiB", Bytes.Hex("c6 ff ff ff ff 00"), 0),
        ("ext 32 declaring 4 GiB", Bytes.Hex("c9 ff ff ff ff 01 00"), 0),
        ("timestamp ext 32 declaring 4 GiB", Bytes.Hex("c9 ff ff ff ff ff 00"), 0),
        ("array 32 declaring 4 Gi elements", Bytes.Hex("dd ff ff ff ff c0"), 0),
        ("map 32 declaring 4 Gi pairs", Bytes.Hex("df ff ff ff ff c0 c0"), 0),
        ("nested array 32 declaring 4 Gi elements", Bytes.Hex("92 01 dd ff ff ff ff c0"), 2),
        ("invalid UTF-8: lone continuation byte", Bytes.Hex("a1 80"), 0),
        ("invalid UTF-8: bad second byte", Bytes.Hex("a2 c3 28"), 0),
        ("invalid UTF-8: overlong nul", Bytes.Hex("a2 c0 80"), 0),
        ("invalid UTF-8: encoded surrogate", Bytes.Hex("a3 ed a0 80"), 0),
        ("invalid UTF-8: sequence cut by the string end", Bytes.Hex("92 a1 e2 a2 82 ac"), 1),
        ("invalid UTF-8: 0xff", Bytes.Hex("a1 ff"), 0),
        ("invalid UTF-8 in a map key", Bytes.Hex("81 01 81 a2 c3 28 c0"), 3),
        ("timestamp as fixext 1", Bytes.Hex("d4 ff 00"), 0),
        ("timestamp as fixext 2", Bytes.Hex("d5 ff 00 00"), 0),
        ("timestamp as fixext 16", Bytes.Hex("d8 ff 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00"), 0),
        ("timestamp as ext 8 of 5 bytes", Bytes.Hex("c7 05 ff 00 00 00 00 00"), 0),
        ("timestamp as ext 8 of 0 bytes", Bytes.Hex("c7 00 ff"), 0),
        ("timestamp as ext 8 of 20 bytes", Bytes.Concat(Bytes.Hex("c7 14 ff"), new byte[20]), 0),
        ("timestamp as ext 8 of 24 bytes", Bytes.Concat(Bytes.Hex("c7 18 ff"), new byte[24]), 0),
        ("timestamp 64 with 1e9 nanoseconds", Bytes.Hex("d7 ff ee 6b 28 00 00 00 00 00"), 0),
        ("timestamp 64 with the largest 30-bit nanoseconds", Bytes.Hex("d7 ff ff ff ff fc 00 00 00 00"), 0),
        ("timestamp 96 with 1e9 nanoseconds", Bytes.Hex("c7 0c ff 3b 9a ca 00 00 00 00 00 00 00 00 00"), 0),
        ("timestamp 96 with 2^32-1 nanoseconds in an array", Bytes.Hex("91 c7 0c ff ff ff ff ff 00 00 00 00 00 00 00 00"), 1),
        ("truncated timestamp 96", Bytes.Hex("c7 0c ff 00 00 00 00 00 00 00"), 0),
    ];

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach ((string name, _, _) in All)
        {
            data.Add(name);
        }

        return data;
    }

    public static (byte[] Bytes, long Offset) Get(string name)
    {
        (_, byte[] bytes, long offset) = All.Single(d => d.Name == name);
        return (bytes, offset);
    }
}
