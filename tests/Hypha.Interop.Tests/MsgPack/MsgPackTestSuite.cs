using System.Text.Json;
using Hypha.Interop.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Hypha.Interop.Tests.MsgPack;

/// <summary>One case of the msgpack-test-suite dataset: its typed value and every encoding the dataset accepts.</summary>
/// <param name="File">The source file name, e.g. <c>20.number-positive.yaml</c>.</param>
/// <param name="Index">The zero-based position of the case in its file.</param>
/// <param name="ValueKey">The key that holds the expected value (<c>bignum</c> when present, else the only non-<c>msgpack</c> key).</param>
/// <param name="Value">The expected value, as JSON.</param>
/// <param name="Encodings">The accepted encodings, as written in the file (lowercase hex pairs joined by <c>-</c>).</param>
internal sealed record SuiteCase(string File, int Index, string ValueKey, JsonElement Value, IReadOnlyList<string> Encodings)
{
    /// <summary>The case as named in test output: <c>20.number-positive.yaml #3</c>.</summary>
    public string Name => $"{File} #{Index}";

    /// <summary>The accepted encodings as bytes.</summary>
    public IEnumerable<byte[]> EncodingBytes => Encodings.Select(MsgPackTestSuite.HexToBytes);

    /// <summary>The expected value as compact JSON, for messages.</summary>
    public string Describe() => $"{ValueKey}: {Value.GetRawText().ReplaceLineEndings(" ")}";
}

/// <summary>
/// The msgpack-test-suite dataset (<c>tests/interop/js/node_modules/msgpack-test-suite/dist/msgpack-test-suite.json</c>),
/// loaded once. Shape: an object keyed by source file name, each an array of cases
/// <c>{ "&lt;value key&gt;": value, "msgpack": ["hex-pairs", ...] }</c>; see tests/interop/js/README.md.
/// </summary>
internal sealed class MsgPackTestSuite
{
    private static readonly Lazy<MsgPackTestSuite> Instance = new(() => Load(InteropPaths.MsgPackTestSuiteJson));

    private MsgPackTestSuite(IReadOnlyList<string> files, IReadOnlyList<SuiteCase> cases)
    {
        Files = files;
        Cases = cases;
    }

    /// <summary>The dataset, read from the installed npm package.</summary>
    public static MsgPackTestSuite Default => Instance.Value;

    /// <summary>The source file names, in file order.</summary>
    public IReadOnlyList<string> Files { get; }

    /// <summary>Every case, in file order.</summary>
    public IReadOnlyList<SuiteCase> Cases { get; }

    /// <summary>Finds a case by file name and index.</summary>
    public SuiteCase Get(string file, int index) =>
        Cases.SingleOrDefault(c => c.File == file && c.Index == index)
        ?? throw new KeyNotFoundException($"The dataset has no case {file} #{index}.");

    /// <summary>Decodes the dataset's hex notation (<c>"cd-00-80"</c>; <c>""</c> is empty).</summary>
    public static byte[] HexToBytes(string hex) => Convert.FromHexString(hex.Replace("-", "", StringComparison.Ordinal));

    /// <summary>Writes bytes in the dataset's hex notation.</summary>
    public static string BytesToHex(ReadOnlySpan<byte> bytes) =>
        string.Join('-', Convert.ToHexString(bytes).ToLowerInvariant().Chunk(2).Select(pair => new string(pair)));

    private static MsgPackTestSuite Load(string path)
    {
        InteropPaths.RequireInstalledFile(path);
        using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(path));
        JsonElement root = document.RootElement.Clone();
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"{path}: expected a JSON object keyed by file name, found {root.ValueKind}.");
        }

        var files = new List<string>();
        var cases = new List<SuiteCase>();
        foreach (JsonProperty file in root.EnumerateObject())
        {
            files.Add(file.Name);
            int index = 0;
            foreach (JsonElement testCase in file.Value.EnumerateArray())
            {
                cases.Add(ParseCase(file.Name, index++, testCase));
            }
        }

        return new MsgPackTestSuite(files, cases);
    }

    private static SuiteCase ParseCase(string file, int index, JsonElement testCase)
    {
        if (!testCase.TryGetProperty("msgpack", out JsonElement encodings) || encodings.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidDataException($"{file} #{index}: no \"msgpack\" array in {testCase.GetRawText()}");
        }

        string[] valueKeys = testCase.EnumerateObject().Select(p => p.Name).Where(n => n != "msgpack").ToArray();
        string valueKey = valueKeys.Contains("bignum") ? "bignum" : valueKeys.Length == 1
            ? valueKeys[0]
            : throw new InvalidDataException($"{file} #{index}: expected one value key, found [{string.Join(", ", valueKeys)}]");
        return new SuiteCase(
            file,
            index,
            valueKey,
            testCase.GetProperty(valueKey),
            encodings.EnumerateArray().Select(e => e.GetString()!).ToArray());
    }
}

/// <summary>
/// One accepted encoding of one dataset case: the row of the dataset theories. Serializable, so that every row is
/// its own test case in the runner, named like <c>20.number-positive.yaml #3 (cd-00-80)</c>.
/// </summary>
public sealed class SuiteEncoding : IXunitSerializable
{
    /// <summary>For the xunit deserializer only.</summary>
    [Obsolete("For xunit's deserializer only.")]
    public SuiteEncoding()
    {
        File = Hex = "";
    }

    /// <summary>Creates a row.</summary>
    public SuiteEncoding(string file, int caseIndex, string hex)
    {
        File = file;
        CaseIndex = caseIndex;
        Hex = hex;
    }

    /// <summary>The source file name.</summary>
    public string File { get; private set; }

    /// <summary>The zero-based case index in that file.</summary>
    public int CaseIndex { get; private set; }

    /// <summary>The encoding, in the dataset's hex notation.</summary>
    public string Hex { get; private set; }

    /// <summary>The encoding as bytes.</summary>
    public byte[] Bytes => MsgPackTestSuite.HexToBytes(Hex);

    internal SuiteCase Case => MsgPackTestSuite.Default.Get(File, CaseIndex);

    /// <summary>Every encoding of every case, in file order.</summary>
    public static TheoryData<SuiteEncoding> All()
    {
        var data = new TheoryData<SuiteEncoding>();
        foreach (SuiteCase testCase in MsgPackTestSuite.Default.Cases)
        {
            foreach (string hex in testCase.Encodings)
            {
                data.Add(new SuiteEncoding(testCase.File, testCase.Index, hex));
            }
        }

        return data;
    }

    /// <inheritdoc />
    public void Deserialize(IXunitSerializationInfo info)
    {
        File = info.GetValue<string>(nameof(File));
        CaseIndex = info.GetValue<int>(nameof(CaseIndex));
        Hex = info.GetValue<string>(nameof(Hex));
    }

    /// <inheritdoc />
    public void Serialize(IXunitSerializationInfo info)
    {
        info.AddValue(nameof(File), File);
        info.AddValue(nameof(CaseIndex), CaseIndex);
        info.AddValue(nameof(Hex), Hex);
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"{File} #{CaseIndex} ({(Hex.Length <= 60 ? Hex : string.Concat(Hex.AsSpan(0, 57), "…"))})";
}
