using Hypha.Protocol.Native;
using Hypha.Tests.Shared;
using Hypha.Transport.Multiplexing;

namespace Hypha.Transport.Tests;

/// <summary>
/// Mutated frame streams thrown at the frame parser and the multiplexer: each must end in a clean close (a protocol
/// error, or the peer's end), never an escaped exception or a hang, and never deliver more than the limits allow.
/// </summary>
[Collection(RunsAloneCollection.Name)]
public sealed class FuzzTests
{
    private const int Cases = 100_000;
    private const int Workers = 4;
    private static readonly NativeSettings Limits = new() { MaxFrame = 16 * 1024, MaxMessage = 48 * 1024, StreamWindow = 32 * 1024, BulkWindow = 32 * 1024, RpcWindow = 8, Heartbeat = TimeSpan.Zero };

    [Fact]
    public async Task Mutated_frame_streams_only_ever_close_the_connection()
    {
        List<byte[]> seed = ValidFrames();
        int next = -1;
        var codes = new int[Enum.GetValues<NativeErrorCode>().Length];
        async Task Worker()
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < Cases)
            {
                NativeErrorCode code = await RunCaseAsync(Mutate(seed, new Random(index)), index);
                Interlocked.Increment(ref codes[(int)code]);
            }
        }

        await Task.WhenAll(Enumerable.Range(0, Workers).Select(_ => Task.Run(Worker)));

        // The mutations must reach the interesting paths, not only the first header check.
        Assert.True(codes[(int)NativeErrorCode.ProtocolError] > Cases / 10, Report(codes));
        Assert.True(codes[(int)NativeErrorCode.FrameTooLarge] > 100, Report(codes));
        Assert.True(codes[(int)NativeErrorCode.FlowControlError] > 100, Report(codes));
        Assert.True(codes[(int)NativeErrorCode.None] > 100, Report(codes));
    }

    private static async Task<NativeErrorCode> RunCaseAsync(byte[] stream, int index)
    {
        long delivered = 0;
        long tooLarge = 0;

        // The application takes nothing until the connection has ended, so no credit comes back: every window
        // overdraft in the stream is seen, whatever the timing.
        var release = new TaskCompletionSource();
        await using var peer = new RawPeer(new MultiplexerOptions { Settings = Limits }, Limits, async message =>
        {
            await release.Task;
            Interlocked.Add(ref delivered, message.Payload.Length);
            if (message.Payload.Length > Limits.MaxMessage)
            {
                Interlocked.Increment(ref tooLarge);
            }
        });
        await peer.WriteAsync(stream);
        await peer.EndAsync();
        Task<CloseReason> closed = peer.Mux.Completion;
        if (await Task.WhenAny(closed, Task.Delay(TimeSpan.FromSeconds(10))) != closed)
        {
            Assert.Fail($"case {index}: the multiplexer did not finish ({stream.Length} bytes: {Convert.ToHexString(stream.AsSpan(0, Math.Min(64, stream.Length)))})");
        }

        release.SetResult();
        CloseReason reason = await closed;
        Assert.True(Interlocked.Read(ref delivered) <= stream.Length, $"case {index}: delivered more than was sent");
        Assert.True(Interlocked.Read(ref tooLarge) == 0, $"case {index}: a message over the limit was delivered");
        Assert.True(reason.Code != NativeErrorCode.InternalError || reason.ByPeer, $"case {index}: {reason.Message}");
        return reason.Code;
    }

    // Frames that exercise every channel: control messages, rpc calls, a fragmented stream message and a bulk one.
    private static List<byte[]> ValidFrames()
    {
        var frames = new List<byte[]>
        {
            RawPeer.Control(ControlMessages.WindowUpdate(NativeChannel.Bulk, 1000)),
            RawPeer.Control(ControlMessages.Ping(7)),
            RawPeer.Frame(NativeChannel.Rpc, FrameFlags.End, Enumerable.Range(0, 40).Select(i => (byte)i).ToArray()),
            RawPeer.Frame(NativeChannel.Stream, FrameFlags.None, new byte[3000]),
            RawPeer.Frame(NativeChannel.Stream, FrameFlags.End, new byte[500]),
            RawPeer.Frame(NativeChannel.Bulk, FrameFlags.None, new byte[9000]),
            RawPeer.Frame(NativeChannel.Rpc, FrameFlags.End, [1, 2, 3]),
            RawPeer.Frame(NativeChannel.Bulk, FrameFlags.End, new byte[2000]),
            RawPeer.Control(ControlMessages.GoAway(NativeErrorCode.None, "bye")),
        };
        return frames;
    }

    // Half the cases first repeat one whole frame (overdrawing windows and message limits with well-formed
    // frames); then up to four byte-level mutations.
    private static byte[] Mutate(List<byte[]> seed, Random random)
    {
        var frames = new List<byte[]>(seed);
        if (random.Next(2) == 0)
        {
            int frame = random.Next(frames.Count);
            frames.InsertRange(frame, Enumerable.Repeat(frames[frame], random.Next(2, 20)));
        }

        return ByteMutations.Apply(frames.SelectMany(f => f).ToList(), random);
    }

    private static string Report(int[] codes) =>
        string.Join(", ", Enum.GetValues<NativeErrorCode>().Select(c => $"{c}: {codes[(int)c]}"));
}

/// <summary>
/// Tests that run with no other test of the assembly beside them: the fuzz test, which keeps both cores busy (the
/// timing-sensitive tests beside it would be starved), and the timing-sensitive tests a starved thread pool fails.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RunsAloneCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Runs alone";
}
