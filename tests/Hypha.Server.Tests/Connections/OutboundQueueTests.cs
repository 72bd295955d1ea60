using Hypha.Server.Connections;

namespace Hypha.Server.Tests.Connections;

public sealed class OutboundQueueTests
{
    private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(50);

    [Fact]
    public async Task The_queue_is_bounded_in_frames()
    {
        var queue = new OutboundQueue(maxFrames: 2, maxBytes: 1000);
        Assert.Equal(EnqueueResult.Accepted, queue.TryEnqueue(Frame(10)));
        Assert.Equal(EnqueueResult.Accepted, queue.TryEnqueue(Frame(10)));
        Assert.Equal(EnqueueResult.Full, await queue.EnqueueAsync(Frame(10), Short));
    }

    [Fact]
    public void The_queue_is_bounded_in_bytes_but_takes_any_frame_when_empty()
    {
        var queue = new OutboundQueue(maxFrames: 100, maxBytes: 100);
        Assert.Equal(EnqueueResult.Accepted, queue.TryEnqueue(Frame(500)));
        Assert.Equal(EnqueueResult.Full, queue.TryEnqueue(Frame(1)));
    }

    [Fact]
    public async Task A_waiting_writer_gets_in_when_the_reader_makes_room()
    {
        var queue = new OutboundQueue(maxFrames: 1, maxBytes: 1000);
        queue.TryEnqueue(Frame(1));
        ValueTask<EnqueueResult> waiting = queue.EnqueueAsync(Frame(2), TimeSpan.FromSeconds(5));
        Assert.False(waiting.IsCompleted);

        Assert.True(await queue.WaitToReadAsync());
        Assert.True(queue.TryRead(out _));
        Assert.Equal(EnqueueResult.Accepted, await waiting);
        Assert.True(queue.TryRead(out OutboundFrame second));
        Assert.Equal(2, second.Bytes.Length);
        Assert.False(queue.TryRead(out _));
    }

    [Fact]
    public async Task Completing_drops_pending_frames_and_refuses_new_ones()
    {
        var queue = new OutboundQueue(maxFrames: 1, maxBytes: 1000);
        queue.TryEnqueue(Frame(1));
        ValueTask<EnqueueResult> waiting = queue.EnqueueAsync(Frame(2), TimeSpan.FromSeconds(5));
        queue.Complete();

        Assert.Equal(EnqueueResult.Closed, await waiting);
        Assert.Equal(EnqueueResult.Closed, queue.TryEnqueue(Frame(1)));
        Assert.False(queue.TryRead(out OutboundFrame frame), $"a frame of {frame.Bytes.Length} bytes was not dropped");
        Assert.False(await queue.WaitToReadAsync());
    }

    private static OutboundFrame Frame(int length) => OutboundFrame.Binary(new byte[length]);
}
