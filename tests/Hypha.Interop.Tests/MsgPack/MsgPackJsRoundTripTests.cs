using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Hypha.Interop.Tests.Infrastructure;
using Hypha.Protocol.MsgPack;
using Xunit.Abstractions;

namespace Hypha.Interop.Tests.MsgPack;

/// <summary>
/// Our msgpack implementation against @msgpack/msgpack 3.1.3 in Node.js (tests/interop/js/msgpack-peer.mjs), both
/// directions, over a few thousand values including every format and width boundary.
/// </summary>
public sealed class MsgPackJsRoundTripTests(ITestOutputHelper output)
{
    private const string Peer = "msgpack-peer.mjs";

    // JS → C# → JS: fixed seed, and more values than the peer's fixed edge cases (checked against `info`).
    private const int JsValueCount = 2000;
    private const int JsSeed = 424242;

    // C# → JS → C#.
    private const int CSharpValueCount = 3000;
    private const int CSharpSeed = 20240917;

    [Fact]
    public async Task Values_generated_by_javascript_survive_our_decoding_and_reencoding()
    {
        NodeResult info = await NodeRunner.RunAsync(Peer, ["info"]);
        Assert.True(info.ExitCode == 0, info.Describe());
        int fixedCount = JsonDocument.Parse(info.Stdout).RootElement.GetProperty("fixedCount").GetInt32();
        Assert.True(JsValueCount >= fixedCount, $"Use at least {fixedCount} values so that every fixed edge case of the peer is included.");

        string[] countAndSeed = [JsValueCount.ToString(CultureInfo.InvariantCulture), JsSeed.ToString(CultureInfo.InvariantCulture)];
        NodeResult generated = await NodeRunner.RunAsync(Peer, ["generate", .. countAndSeed]);
        Assert.True(generated.ExitCode == 0 && generated.Stdout.Length > 0, generated.Describe(200));

        var stopwatch = Stopwatch.StartNew();
        (int decoded, byte[] reencoded) = DecodeAndReencode(generated.Stdout);
        output.WriteLine($"decoded {decoded} values ({generated.Stdout.Length} bytes) and re-encoded them ({reencoded.Length} bytes) in {stopwatch.ElapsedMilliseconds} ms");
        Assert.Equal(JsValueCount, decoded);

        NodeResult verify = await NodeRunner.RunAsync(Peer, ["verify", .. countAndSeed], reencoded);
        output.WriteLine(verify.StdoutText);
        JsonElement report = ParseVerifyReport(verify);
        Assert.True(
            verify.ExitCode == 0
                && report.GetProperty("mismatchCount").GetInt32() == 0
                && report.GetProperty("decoded").GetInt32() == JsValueCount
                && !report.TryGetProperty("error", out _),
            $"msgpack-peer verify rejected our re-encoding of its values:\n{verify.Describe()}");
    }

    [Fact]
    public async Task Values_generated_in_csharp_survive_a_javascript_echo()
    {
        List<MsgPackValue> values = InteropValueGenerator.Generate(CSharpValueCount, CSharpSeed);
        byte[] encoded = EncodeAll(values);

        NodeResult echo = await NodeRunner.RunAsync(Peer, ["echo"], encoded);
        Assert.True(echo.ExitCode == 0, echo.Describe(200));
        output.WriteLine($"sent {values.Count} values ({encoded.Length} bytes), got {echo.Stdout.Length} bytes back");

        List<MsgPackValue> echoed = DecodeAll(echo.Stdout);
        Assert.True(echoed.Count == values.Count, $"sent {values.Count} values, the echo holds {echoed.Count}");

        var differences = new List<string>();
        for (int i = 0; i < values.Count; i++)
        {
            if (JsValueEquivalence.Difference(values[i], echoed[i]) is { } difference)
            {
                differences.Add($"value #{i}: {difference}");
            }
        }

        Assert.True(
            differences.Count == 0,
            $"{differences.Count} of {values.Count} values changed beyond JS number semantics in the echo (first 20):\n" +
            string.Join('\n', differences.Take(20)));
    }

    [Fact]
    public void The_csharp_values_cover_every_msgpack_format_and_are_deterministic()
    {
        List<MsgPackValue> values = InteropValueGenerator.Generate(CSharpValueCount, CSharpSeed);
        var formats = new SortedSet<string>(StringComparer.Ordinal);
        foreach (MsgPackValue value in values)
        {
            CollectFormats(value, formats);
        }

        string[] everyFormat =
        [
            "positive fixint", "fixmap", "fixarray", "fixstr", "nil", "false", "true", "bin 8", "bin 16", "bin 32",
            "ext 8", "ext 16", "ext 32", "float 32", "float 64", "uint 8", "uint 16", "uint 32", "uint 64", "int 8",
            "int 16", "int 32", "int 64", "fixext 1", "fixext 2", "fixext 4", "fixext 8", "fixext 16", "str 8", "str 16",
            "str 32", "array 16", "array 32", "map 16", "map 32", "negative fixint",
            "timestamp 32", "timestamp 64", "timestamp 96",
        ];
        Assert.Empty(everyFormat.Except(formats));

        Assert.Equal(EncodeAll(values), EncodeAll(InteropValueGenerator.Generate(CSharpValueCount, CSharpSeed)));
    }

    private static (int Count, byte[] Bytes) DecodeAndReencode(byte[] stream)
    {
        var buffer = new ArrayBufferWriter<byte>(stream.Length + 4096);
        var writer = new MsgPackWriter(buffer);
        var reader = new MsgPackReader(stream);
        int count = 0;
        while (!reader.End)
        {
            MsgPackValue value = ReadOne(ref reader, stream, count);
            value.WriteTo(ref writer);
            count++;
        }

        writer.Flush();
        return (count, buffer.WrittenSpan.ToArray());
    }

    private static List<MsgPackValue> DecodeAll(byte[] stream)
    {
        var values = new List<MsgPackValue>();
        var reader = new MsgPackReader(stream);
        while (!reader.End)
        {
            values.Add(ReadOne(ref reader, stream, values.Count));
        }

        return values;
    }

    private static MsgPackValue ReadOne(ref MsgPackReader reader, byte[] stream, int index)
    {
        long start = reader.Consumed;
        try
        {
            return MsgPackValue.Read(ref reader);
        }
        catch (MsgPackException ex)
        {
            int from = (int)start;
            string head = Convert.ToHexString(stream, from, Math.Min(32, stream.Length - from));
            Assert.Fail($"value #{index}, starting at byte {start} ({head}…): {ex.Message}");
            throw;
        }
    }

    private static byte[] EncodeAll(List<MsgPackValue> values)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MsgPackWriter(buffer);
        foreach (MsgPackValue value in values)
        {
            value.WriteTo(ref writer);
        }

        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    private static JsonElement ParseVerifyReport(NodeResult verify)
    {
        try
        {
            return JsonDocument.Parse(verify.Stdout).RootElement;
        }
        catch (JsonException ex)
        {
            Assert.Fail($"msgpack-peer verify printed no JSON report ({ex.Message}):\n{verify.Describe()}");
            throw;
        }
    }

    // The msgpack format of a value and, recursively, of everything inside it (containers of more than 64 entries
    // are represented by their first entries: their elements repeat the formats of the small ones).
    private static void CollectFormats(MsgPackValue value, ISet<string> formats)
    {
        byte[] head = value.Kind switch
        {
            MsgPackValueKind.Array => HeaderOf((ref MsgPackWriter w) => w.WriteArrayHeader(value.AsArray().Length)),
            MsgPackValueKind.Map => HeaderOf((ref MsgPackWriter w) => w.WriteMapHeader(value.AsMap().Count)),
            _ => value.ToBytes(),
        };
        formats.Add(FormatName(head));
        if (value.Kind == MsgPackValueKind.Timestamp)
        {
            formats.Add(head[0] switch { 0xd6 => "timestamp 32", 0xd7 => "timestamp 64", _ => "timestamp 96" });
        }

        if (value.TryGetArray(out MsgPackValue[]? items))
        {
            foreach (MsgPackValue item in items.Take(64))
            {
                CollectFormats(item, formats);
            }
        }
        else if (value.TryGetMap(out MsgPackMap? map))
        {
            foreach (KeyValuePair<MsgPackValue, MsgPackValue> entry in map.Take(64))
            {
                CollectFormats(entry.Key, formats);
                CollectFormats(entry.Value, formats);
            }
        }
    }

    private delegate void HeaderWriter(ref MsgPackWriter writer);

    private static byte[] HeaderOf(HeaderWriter write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MsgPackWriter(buffer);
        write(ref writer);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    private static string FormatName(byte[] encoded) => encoded[0] switch
    {
        <= 0x7f => "positive fixint",
        <= 0x8f => "fixmap",
        <= 0x9f => "fixarray",
        <= 0xbf => "fixstr",
        0xc0 => "nil",
        0xc2 => "false",
        0xc3 => "true",
        0xc4 => "bin 8",
        0xc5 => "bin 16",
        0xc6 => "bin 32",
        0xc7 => "ext 8",
        0xc8 => "ext 16",
        0xc9 => "ext 32",
        0xca => "float 32",
        0xcb => "float 64",
        0xcc => "uint 8",
        0xcd => "uint 16",
        0xce => "uint 32",
        0xcf => "uint 64",
        0xd0 => "int 8",
        0xd1 => "int 16",
        0xd2 => "int 32",
        0xd3 => "int 64",
        0xd4 => "fixext 1",
        0xd5 => "fixext 2",
        0xd6 => "fixext 4",
        0xd7 => "fixext 8",
        0xd8 => "fixext 16",
        0xd9 => "str 8",
        0xda => "str 16",
        0xdb => "str 32",
        0xdc => "array 16",
        0xdd => "array 32",
        0xde => "map 16",
        0xdf => "map 32",
        >= 0xe0 => "negative fixint",
        _ => $"0x{encoded[0]:x2}",
    };
}
