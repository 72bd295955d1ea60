using System.Runtime.CompilerServices;
using Hypha.Protocol.Buffers;

namespace Hypha.Protocol.Tests.Buffers;

/// <summary>A thread's spare writer: taken for one message, given back once its bytes are done with.</summary>
public sealed class PooledBufferWriterSpareTests
{
    // Each test runs on a thread of its own, so that no other test's spare is in the slot.
    private static void OnOwnThread(Action test)
    {
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                test();
            }
            catch (Exception ex)
            {
                failure = ex;
            }
        });
        thread.Start();
        thread.Join();
        if (failure is not null)
        {
            throw new Xunit.Sdk.XunitException($"failed on its thread: {failure}");
        }
    }

    [Fact]
    public void A_writer_given_back_is_the_next_one_taken_empty_and_with_the_room_asked() => OnOwnThread(() =>
    {
        PooledBufferWriter first = PooledBufferWriter.TakeSpare(256);
        first.Write([1, 2, 3]);
        first.GiveBack();

        PooledBufferWriter second = PooledBufferWriter.TakeSpare(10_000);

        Assert.Same(first, second);
        Assert.Equal(0, second.WrittenCount);
        Assert.True(second.Capacity >= 10_000);
        second.Write([4]);
        Assert.Equal(new byte[] { 4 }, second.WrittenMemory.ToArray());
    });

    [Fact]
    public void A_writer_taken_is_nobody_elses_until_given_back() => OnOwnThread(() =>
    {
        PooledBufferWriter spare = PooledBufferWriter.TakeSpare(256);
        spare.GiveBack();

        PooledBufferWriter first = PooledBufferWriter.TakeSpare(256);
        PooledBufferWriter second = PooledBufferWriter.TakeSpare(256);

        Assert.Same(spare, first);
        Assert.NotSame(first, second);
    });

    [Fact]
    public void A_thread_keeps_two_spares_for_a_message_written_while_another_is_held() => OnOwnThread(() =>
    {
        PooledBufferWriter arguments = PooledBufferWriter.TakeSpare(256);
        PooledBufferWriter frame = PooledBufferWriter.TakeSpare(256);
        frame.GiveBack();
        arguments.GiveBack();

        PooledBufferWriter nextArguments = PooledBufferWriter.TakeSpare(256);
        PooledBufferWriter nextFrame = PooledBufferWriter.TakeSpare(256);

        Assert.Equal(new[] { arguments, frame }.OrderBy(RuntimeHelpers.GetHashCode), new[] { nextArguments, nextFrame }.OrderBy(RuntimeHelpers.GetHashCode));
        Assert.Equal(0, nextArguments.WrittenCount);
        Assert.Equal(0, nextFrame.WrittenCount);
    });

    [Fact]
    public void A_third_writer_given_back_is_disposed() => OnOwnThread(() =>
    {
        PooledBufferWriter first = PooledBufferWriter.TakeSpare(256);
        PooledBufferWriter second = PooledBufferWriter.TakeSpare(256);
        PooledBufferWriter third = PooledBufferWriter.TakeSpare(256);
        first.GiveBack();
        second.GiveBack();
        third.GiveBack();

        Assert.Throws<ObjectDisposedException>(() => third.GetSpan());
        PooledBufferWriter[] taken = [PooledBufferWriter.TakeSpare(256), PooledBufferWriter.TakeSpare(256), PooledBufferWriter.TakeSpare(256)];
        Assert.Contains(first, taken);
        Assert.Contains(second, taken);
        Assert.DoesNotContain(third, taken);
    });

    [Fact]
    public void A_writer_grown_past_64_KiB_is_not_kept() => OnOwnThread(() =>
    {
        PooledBufferWriter large = PooledBufferWriter.TakeSpare(256);
        large.Write(new byte[100 * 1024]);
        large.GiveBack();

        PooledBufferWriter next = PooledBufferWriter.TakeSpare(256);

        Assert.NotSame(large, next);
        Assert.Throws<ObjectDisposedException>(() => large.GetSpan());
    });
}
