using System.Buffers;
using Hypha.Protocol.WebSocketFrames;
using Hypha.Tests.Shared;
using static Hypha.Protocol.Tests.WebSocketFrames.WebSocketTestFrames;

namespace Hypha.Protocol.Tests.WebSocketFrames;

/// <summary>
/// Mutated client frame streams, cut into random receives, thrown at the message reader: each must end in a
/// <see cref="WebSocketProtocolException"/> with one of the framing close codes or read cleanly, never escape with
/// another exception, deliver a message over the limit, deliver more than was sent, or hold more than a header.
/// </summary>
public sealed class WebSocketFuzzTests
{
    private const int Cases = 100_000;
    private const int Limit = 8 * 1024;

    [Fact]
    public void Mutated_frame_streams_only_ever_fail_with_a_close_code()
    {
        byte[][] seed = ValidFrames();
        var outcomes = new System.Collections.Concurrent.ConcurrentDictionary<int, int>();
        Parallel.For(0, Cases, new ParallelOptions { MaxDegreeOfParallelism = 2 }, index =>
        {
            var random = new Random(index);
            int outcome = RunCase(Mutate(seed, random), random, index);
            outcomes.AddOrUpdate(outcome, 1, (_, count) => count + 1);
        });

        string report = string.Join(", ", outcomes.OrderBy(o => o.Key).Select(o => $"{o.Key}: {o.Value}"));
        Assert.True(outcomes.Keys.All(code => code is 0 or WebSocketCloseCodes.ProtocolError or WebSocketCloseCodes.InvalidPayload or WebSocketCloseCodes.MessageTooBig), report);
        Assert.True(outcomes.GetValueOrDefault(WebSocketCloseCodes.ProtocolError) > Cases / 10, report);
        Assert.True(outcomes.GetValueOrDefault(WebSocketCloseCodes.InvalidPayload) > 100, report);
        Assert.True(outcomes.GetValueOrDefault(WebSocketCloseCodes.MessageTooBig) > 100, report);
        Assert.True(outcomes.GetValueOrDefault(0) > 100, report);
    }

    // 0 when the stream read cleanly to its end, else the close code it failed with.
    private static int RunCase(byte[] stream, Random random, int index)
    {
        using var reader = new WebSocketMessageReader(Limit, expectMasked: true);
        long delivered = 0;
        int at = 0;
        byte[] pending = [];
        try
        {
            while (at < stream.Length)
            {
                int length = Math.Min(random.Next(1, 3000), stream.Length - at);
                var sequence = new ReadOnlySequence<byte>([.. pending, .. stream.AsSpan(at, length)]);
                at += length;
                while (reader.TryRead(ref sequence, out WebSocketMessage message))
                {
                    Assert.True(message.Payload.Length <= Limit, $"case {index}: a message of {message.Payload.Length} bytes");
                    delivered += message.Payload.Length;
                }

                pending = sequence.ToArray();
                Assert.True(pending.Length < WebSocketFrameHeader.MaxSize, $"case {index}: {pending.Length} bytes held back");
            }

            return 0;
        }
        catch (WebSocketProtocolException ex)
        {
            return ex.CloseCode;
        }
        finally
        {
            Assert.True(delivered <= stream.Length, $"case {index}: delivered more than was sent");
        }
    }

    private static byte[][] ValidFrames() =>
    [
        Client(WebSocketOpcode.Text, """{"type":"ping"}"""),
        Client(WebSocketOpcode.Binary, Enumerable.Range(0, 300).Select(i => (byte)i).ToArray()),
        Client(WebSocketOpcode.Binary, new byte[2000], fin: false),
        Client(WebSocketOpcode.Ping, "keep"),
        Client(WebSocketOpcode.Continuation, new byte[3000], fin: false),
        Client(WebSocketOpcode.Continuation, new byte[100]),
        Client(WebSocketOpcode.Text, "€ and ü", fin: false),
        Client(WebSocketOpcode.Continuation, " more"),
        Client(WebSocketOpcode.Pong, []),
        Client(WebSocketOpcode.Binary, new byte[7000]),
        Close(1000, "bye"),
    ];

    // Half the cases first repeat one whole frame (overdrawing the limit with well-formed fragments, starting a
    // message inside another); then up to four byte-level mutations.
    private static byte[] Mutate(byte[][] seed, Random random)
    {
        var frames = new List<byte[]>(seed);
        if (random.Next(2) == 0)
        {
            int frame = random.Next(frames.Count);
            frames.InsertRange(frame, Enumerable.Repeat(frames[frame], random.Next(2, 6)));
        }

        return ByteMutations.Apply(frames.SelectMany(f => f).ToList(), random, maxMutations: 4);
    }
}
