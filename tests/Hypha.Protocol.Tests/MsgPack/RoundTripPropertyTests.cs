using System.Buffers;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Hypha.Protocol.MsgPack;
using Microsoft.FSharp.Core;

namespace Hypha.Protocol.Tests.MsgPack;

/// <summary>Properties over arbitrary value trees (FsCheck, fixed seeds): round trips, byte stability, exact skipping.</summary>
public class RoundTripPropertyTests
{
    private static Config Seeded(ulong seed, int maxTest = 300) =>
        Config.QuickThrowOnFailure
            .WithQuietOnSuccess(true)
            .WithMaxTest(maxTest)
            .WithReplay(FSharpOption<Replay>.Some(new Replay(new Rnd(seed, 0x9e37_79b9_7f4a_7c15), FSharpOption<int>.None)));

    [Fact]
    public void ParsingTheEncodingGivesTheSameValueAndReEncodingTheSameBytes()
    {
        Property property = Prop.ForAll(MsgPackValueGenerators.Arbitrary, value =>
        {
            byte[] bytes = value.ToBytes();
            MsgPackValue parsed = MsgPackValue.Parse(bytes);
            if (value != parsed)
            {
                Assert.Fail($"{parsed} != {value}");
            }

            Assert.Equal(value.Kind, parsed.Kind);
            Assert.Equal(value.GetHashCode(), parsed.GetHashCode());
            Assert.True(bytes.AsSpan().SequenceEqual(parsed.ToBytes()), "re-encoding changed the bytes");
        });
        Check.One(Seeded(0x5eed_0001), property);
    }

    [Fact]
    public void EncodedLengthIsTheSumOfTheSmallestHeaders()
    {
        Property property = Prop.ForAll(MsgPackValueGenerators.Arbitrary, value =>
            Assert.Equal(SmallestEncodedLength(value), value.ToBytes().LongLength));
        Check.One(Seeded(0x5eed_0002), property);
    }

    [Fact]
    public void SkipAndReadRawConsumeExactlyTheEncodedLength()
    {
        Property property = Prop.ForAll(MsgPackValueGenerators.Arbitrary, Gen.Choose(0, 1000).ToArbitrary(), (value, cutSeed) =>
        {
            byte[] encoded = value.ToBytes();
            byte[] withTrailer = Bytes.Concat(encoded, Bytes.Hex("a3 65 6e 64")); // followed by "end"
            int cut = cutSeed % (withTrailer.Length + 1);

            foreach (ReadOnlySequence<byte> input in new[] { new ReadOnlySequence<byte>(withTrailer), TestSequences.SplitAt(withTrailer, cut) })
            {
                var skipper = new MsgPackReader(input);
                skipper.Skip();
                Assert.Equal(encoded.Length, skipper.Consumed);
                Assert.Equal("end", skipper.ReadString());

                var raw = new MsgPackReader(input);
                ReadOnlySequence<byte> bytes = raw.ReadRaw();
                Assert.True(encoded.AsSpan().SequenceEqual(bytes.ToArray()));
                Assert.Equal(encoded.Length, raw.Consumed);
                Assert.Equal(0, raw.Depth);

                var valueReader = new MsgPackReader(input);
                Assert.True(value == MsgPackValue.Read(ref valueReader));
                Assert.Equal(encoded.Length, valueReader.Consumed);
            }
        });
        Check.One(Seeded(0x5eed_0003), property);
    }

    [Fact]
    public void TinySpanWriterGivesTheSameBytes()
    {
        Property property = Prop.ForAll(MsgPackValueGenerators.Arbitrary, value =>
        {
            var output = new TinySpanBufferWriter(maxExtra: 2, seed: 9);
            var writer = new MsgPackWriter(output);
            value.WriteTo(ref writer);
            writer.Flush();
            Assert.True(value.ToBytes().AsSpan().SequenceEqual(output.WrittenBytes));
        });
        Check.One(Seeded(0x5eed_0004, maxTest: 150), property);
    }

    [Fact]
    public void GeneratorCoversEveryKindAndNesting()
    {
        // Guards the properties above: a generator that stopped producing some kind would make them weaker.
        var seen = new HashSet<MsgPackValueKind>();
        bool nestedCollection = false;
        bool duplicateKey = false;
        foreach (MsgPackValue value in MsgPackValueGenerators.Value.Sample(60, 300))
        {
            Visit(value, 0);
        }

        Assert.Equal(Enum.GetValues<MsgPackValueKind>().Length, seen.Count);
        Assert.True(nestedCollection);
        Assert.True(duplicateKey);

        void Visit(MsgPackValue value, int depth)
        {
            seen.Add(value.Kind);
            if (value.TryGetArray(out MsgPackValue[]? items))
            {
                nestedCollection |= depth > 0;
                foreach (MsgPackValue item in items)
                {
                    Visit(item, depth + 1);
                }
            }
            else if (value.TryGetMap(out MsgPackMap? map))
            {
                nestedCollection |= depth > 0;
                duplicateKey |= map.Select(e => e.Key).Distinct().Count() < map.Count;
                foreach (KeyValuePair<MsgPackValue, MsgPackValue> entry in map)
                {
                    Visit(entry.Key, depth + 1);
                    Visit(entry.Value, depth + 1);
                }
            }
        }
    }

    // The encoded size computed from the specification alone, independently of the writer.
    private static long SmallestEncodedLength(MsgPackValue value)
    {
        static int LengthHeader(long n, bool hasFixForm, int fixLimit) =>
            hasFixForm && n <= fixLimit ? 1 : n <= byte.MaxValue && fixLimit != 15 ? 2 : n <= ushort.MaxValue ? 3 : 5;

        switch (value.Kind)
        {
            case MsgPackValueKind.Nil:
            case MsgPackValueKind.Boolean:
                return 1;
            case MsgPackValueKind.Integer:
                long i = value.AsInt64();
                return i switch
                {
                    >= -32 and <= 127 => 1,
                    >= sbyte.MinValue and <= byte.MaxValue => 2,
                    >= short.MinValue and <= ushort.MaxValue => 3,
                    >= int.MinValue and <= uint.MaxValue => 5,
                    _ => 9,
                };
            case MsgPackValueKind.UInt64:
                return 9;
            case MsgPackValueKind.Float32:
                return 5;
            case MsgPackValueKind.Float64:
                return 9;
            case MsgPackValueKind.String:
                int textLength = Encoding.UTF8.GetByteCount(value.AsString());
                return LengthHeader(textLength, hasFixForm: true, fixLimit: 31) + textLength;
            case MsgPackValueKind.Binary:
                int binLength = value.AsBinary().Length;
                return LengthHeader(binLength, hasFixForm: false, fixLimit: -1) + binLength;
            case MsgPackValueKind.Array:
                MsgPackValue[] items = value.AsArray();
                return LengthHeader(items.Length, hasFixForm: true, fixLimit: 15) + items.Sum(SmallestEncodedLength);
            case MsgPackValueKind.Map:
                MsgPackMap map = value.AsMap();
                return LengthHeader(map.Count, hasFixForm: true, fixLimit: 15)
                    + map.Sum(e => SmallestEncodedLength(e.Key) + SmallestEncodedLength(e.Value));
            case MsgPackValueKind.Extension:
                int dataLength = value.AsExtension().Data.Length;
                int header = dataLength is 1 or 2 or 4 or 8 or 16 ? 2 : dataLength <= byte.MaxValue ? 3 : dataLength <= ushort.MaxValue ? 4 : 6;
                return header + dataLength;
            case MsgPackValueKind.Timestamp:
                MsgPackTimestamp t = value.AsTimestamp();
                return t.Seconds is >= 0 and <= uint.MaxValue && t.Nanoseconds == 0 ? 6
                    : t.Seconds is >= 0 and < 1L << 34 ? 10
                    : 15;
            default:
                throw new InvalidOperationException(value.Kind.ToString());
        }
    }
}
