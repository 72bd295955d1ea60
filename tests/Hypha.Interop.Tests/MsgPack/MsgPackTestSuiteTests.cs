using Hypha.Protocol.MsgPack;

namespace Hypha.Interop.Tests.MsgPack;

/// <summary>
/// Our msgpack implementation against the language-neutral msgpack-test-suite dataset (npm package
/// msgpack-test-suite 1.0.0): every accepted encoding of every case must decode to the case's value, and our
/// encoding of what we decoded must be one of the encodings the dataset accepts for that case. Each row is named
/// like <c>20.number-positive.yaml #3 (cd-00-80)</c>.
/// </summary>
public sealed class MsgPackTestSuiteTests
{
    public static TheoryData<SuiteEncoding> Encodings => SuiteEncoding.All();

    [Theory]
    [MemberData(nameof(Encodings))]
    public void Each_accepted_encoding_decodes_to_the_cases_value(SuiteEncoding row)
    {
        SuiteCase testCase = row.Case;
        MsgPackValue decoded = Decode(row);

        string? mismatch = SuiteExpectation.Mismatch(testCase, row.Bytes, decoded);

        Assert.True(mismatch is null, $"{row}: {testCase.Describe()}\n{mismatch}");
    }

    [Theory]
    [MemberData(nameof(Encodings))]
    public void Reencoding_the_decoded_value_gives_an_accepted_encoding(SuiteEncoding row)
    {
        SuiteCase testCase = row.Case;
        MsgPackValue decoded = Decode(row);

        string written = MsgPackTestSuite.BytesToHex(decoded.ToBytes());

        Assert.True(
            testCase.Encodings.Contains(written),
            $"{row}: {testCase.Describe()}\ndecoded {decoded.Kind} {decoded}, which we encode as {written};\n" +
            $"the dataset accepts only: {string.Join(" | ", testCase.Encodings)}");
    }

    [Fact]
    public void Reading_every_encoding_of_a_case_through_one_reader_consumes_each_exactly()
    {
        // The same bytes as the theories, concatenated per case: decoding value by value must stop at each boundary.
        foreach (SuiteCase testCase in MsgPackTestSuite.Default.Cases)
        {
            byte[][] encodings = testCase.EncodingBytes.ToArray();
            byte[] stream = encodings.SelectMany(e => e).ToArray();
            var reader = new MsgPackReader(stream);
            long boundary = 0;
            foreach (byte[] encoding in encodings)
            {
                MsgPackValue value = MsgPackValue.Read(ref reader);
                boundary += encoding.Length;
                Assert.True(
                    reader.Consumed == boundary,
                    $"{testCase.Name} ({MsgPackTestSuite.BytesToHex(encoding)}): consumed {reader.Consumed}, expected {boundary}; decoded {value}");
            }

            Assert.True(reader.End, $"{testCase.Name}: {reader.Remaining} bytes left");
        }
    }

    [Fact]
    public void The_dataset_has_the_documented_shape()
    {
        // Guards against a silently empty or truncated theory: the counts documented in tests/interop/js/README.md.
        MsgPackTestSuite suite = MsgPackTestSuite.Default;
        Assert.Equal(
            [
                "10.nil.yaml", "11.bool.yaml", "12.binary.yaml", "20.number-positive.yaml", "21.number-negative.yaml",
                "22.number-float.yaml", "23.number-bignum.yaml", "30.string-ascii.yaml", "31.string-utf8.yaml",
                "32.string-emoji.yaml", "40.array.yaml", "41.map.yaml", "42.nested.yaml", "50.timestamp.yaml", "60.ext.yaml",
            ],
            suite.Files);
        Assert.Equal(85, suite.Cases.Count);
        Assert.Equal(233, suite.Cases.Sum(c => c.Encodings.Count));
        Assert.Equal(233, ((IEnumerable<object[]>)Encodings).Count());
    }

    private static MsgPackValue Decode(SuiteEncoding row)
    {
        try
        {
            return MsgPackValue.Parse(row.Bytes);
        }
        catch (MsgPackException ex)
        {
            Assert.Fail($"{row}: {row.Case.Describe()}\nMsgPackValue.Parse threw: {ex.Message}");
            throw;
        }
    }
}
