using System.Buffers;
using FsCheck;
using FsCheck.Fluent;
using Hypha.Protocol.MsgPack;
using Xunit.Sdk;

namespace Hypha.Protocol.Tests.MsgPack;

/// <summary>
/// A seeded, deterministic fuzz loop: random mutations of valid documents either parse (to a value that
/// re-encodes and re-parses to itself) or throw <see cref="MsgPackException"/>, never anything else.
/// </summary>
public class FuzzTests
{
    private const int Iterations = 20_000;

    private static readonly byte[] InterestingBytes =
    [
        0x00, 0x01, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2, 0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9,
        0xca, 0xcb, 0xcf, 0xd3, 0xd4, 0xd6, 0xd7, 0xd8, 0xd9, 0xda, 0xdb, 0xdc, 0xdd, 0xde, 0xdf, 0xe0, 0xff,
    ];

    [Fact]
    public void MutatedDocumentsEitherParseOrThrowMsgPackExceptionOnly()
    {
        var random = new Random(0x00f0_22ed);
        byte[][] corpus = Corpus();
        int parsed = 0;
        int rejected = 0;

        for (int iteration = 0; iteration < Iterations; iteration++)
        {
            byte[] input = Mutate(random, corpus);
            Outcome outcome = ParseContiguous(input, iteration);
            if (outcome.Value is { } value)
            {
                parsed++;
                byte[] encoded = value.ToBytes();
                if (value != MsgPackValue.Parse(encoded))
                {
                    Assert.Fail($"iteration {iteration}: {Bytes.ToHex(input)} parsed to a value that does not round-trip");
                }

            }
            else
            {
                rejected++;
                Assert.InRange(outcome.Offset, 0, input.Length);
            }

            SkipOrThrowMsgPackException(input, iteration);

            if (iteration % 8 == 0)
            {
                // The same input split into three random segments must give the very same outcome.
                int a = random.Next(input.Length + 1);
                int b = random.Next(input.Length + 1);
                Outcome split = ParseSegments(TestSequences.SplitAt(input, Math.Min(a, b), Math.Max(a, b)), input, iteration);
                if (outcome.Value != split.Value || outcome.Offset != split.Offset)
                {
                    Assert.Fail($"iteration {iteration}: contiguous and split reads differ for {Bytes.ToHex(input)} cut at {a}, {b}");
                }

            }
        }

        // Guard the fuzzer itself: both outcomes must be common, or it explores too little.
        Assert.True(parsed > Iterations / 20, $"only {parsed} mutations parsed");
        Assert.True(rejected > Iterations / 4, $"only {rejected} mutations were rejected");
    }

    [Fact]
    public void RandomBytesEitherParseOrThrowMsgPackExceptionOnly()
    {
        var random = new Random(0x0b17_e5);
        for (int iteration = 0; iteration < 5_000; iteration++)
        {
            var input = new byte[random.Next(0, 48)];
            random.NextBytes(input);
            ParseContiguous(input, iteration);
            SkipOrThrowMsgPackException(input, iteration);
        }
    }

    private readonly record struct Outcome(MsgPackValue? Value, long Offset);

    private static Outcome ParseContiguous(byte[] input, int iteration)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            return new Outcome(MsgPackValue.Parse(input), -1);
        }
        catch (MsgPackException ex)
        {
            return new Outcome(null, ex.Offset);
        }
        catch (Exception ex)
        {
            throw new XunitException($"iteration {iteration}: {ex.GetType().Name} for {Bytes.ToHex(input)}: {ex}");
        }
        finally
        {
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            if (allocated >= 1 << 20)
            {
                Assert.Fail($"iteration {iteration}: {allocated} bytes allocated for {input.Length} bytes of input");
            }

        }
    }

    private static Outcome ParseSegments(ReadOnlySequence<byte> input, byte[] original, int iteration)
    {
        try
        {
            return new Outcome(Bytes.ReadWhole(input), -1);
        }
        catch (MsgPackException ex)
        {
            return new Outcome(null, ex.Offset);
        }
        catch (Exception ex)
        {
            throw new XunitException($"iteration {iteration}: {ex.GetType().Name} for {Bytes.ToHex(original)} in segments: {ex}");
        }
    }

    private static void SkipOrThrowMsgPackException(byte[] input, int iteration)
    {
        try
        {
            var reader = new MsgPackReader(input);
            reader.Skip();
        }
        catch (MsgPackException)
        {
        }
        catch (Exception ex)
        {
            throw new XunitException($"iteration {iteration}: Skip threw {ex.GetType().Name} for {Bytes.ToHex(input)}: {ex}");
        }
    }

    // The sample documents plus generated trees small enough to mutate quickly.
    private static byte[][] Corpus()
    {
        IEnumerable<byte[]> generated = MsgPackValueGenerators.Value
            .Sample(30, new Rnd(0xc0_4b05, 0x9e37_79b9_7f4a_7c15), 400)
            .Select(v => v.ToBytes())
            .Where(b => b.Length <= 2048);
        return [.. SampleDocuments.All.Select(d => d.Bytes), .. generated.Take(200)];
    }

    private static byte[] Mutate(Random random, byte[][] corpus)
    {
        List<byte> data = [.. corpus[random.Next(corpus.Length)]];
        int mutations = random.Next(1, 4);
        for (int m = 0; m < mutations; m++)
        {
            int at = random.Next(data.Count + 1);
            switch (random.Next(9))
            {
                case 0 when data.Count > 0: // flip a few bits
                    for (int i = random.Next(1, 5); i > 0; i--)
                    {
                        int index = random.Next(data.Count);
                        data[index] ^= (byte)(1 << random.Next(8));
                    }

                    break;
                case 1 when data.Count > 0: // a format byte where it does not belong
                    data[random.Next(data.Count)] = InterestingBytes[random.Next(InterestingBytes.Length)];
                    break;
                case 2: // truncate
                    data.RemoveRange(at, data.Count - at);
                    break;
                case 3: // splice the head of one document onto the tail of another
                    byte[] other = corpus[random.Next(corpus.Length)];
                    int from = random.Next(other.Length + 1);
                    data.RemoveRange(at, data.Count - at);
                    data.AddRange(other[from..]);
                    break;
                case 4: // insert random bytes
                    var inserted = new byte[random.Next(1, 6)];
                    random.NextBytes(inserted);
                    data.InsertRange(at, inserted);
                    break;
                case 5: // delete a range
                    data.RemoveRange(at, random.Next(data.Count - at + 1));
                    break;
                case 6: // duplicate a range
                    int length = random.Next(data.Count - at + 1);
                    data.InsertRange(at, data.GetRange(at, length));
                    break;
                case 7 when data.Count > 0: // a huge length or count
                    int start = random.Next(data.Count);
                    for (int i = start; i < Math.Min(start + 4, data.Count); i++)
                    {
                        data[i] = 0xff;
                    }

                    break;
                default: // random bytes
                    var noise = new byte[random.Next(0, 24)];
                    random.NextBytes(noise);
                    data = [.. noise];
                    break;
            }
        }

        return [.. data];
    }
}
