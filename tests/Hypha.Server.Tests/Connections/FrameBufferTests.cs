using Hypha.Server.Connections;

namespace Hypha.Server.Tests.Connections;

public sealed class FrameBufferTests
{
    [Fact]
    public void Fragments_accumulate_until_just_past_the_limit()
    {
        const int limit = 100_000;
        using var buffer = new FrameBuffer(limit);
        int received = 0;
        while (!buffer.IsOverLimit)
        {
            Memory<byte> free = buffer.GetFreeMemory();
            Assert.False(free.IsEmpty);
            int count = Math.Min(free.Length, 7000);
            free.Span[..count].Fill((byte)(received % 251));
            buffer.Advance(count);
            received += count;
        }

        Assert.InRange(received, limit + 1, limit + 7000);
        Assert.Equal(received, buffer.Written.Length);
        buffer.Reset();
        Assert.Equal(0, buffer.Written.Length);
    }

    [Fact]
    public void Content_survives_growth()
    {
        using var buffer = new FrameBuffer(1_000_000);
        byte[] expected = new byte[50_000];
        Random.Shared.NextBytes(expected);
        int offset = 0;
        while (offset < expected.Length)
        {
            Memory<byte> free = buffer.GetFreeMemory();
            int count = Math.Min(free.Length, expected.Length - offset);
            expected.AsSpan(offset, count).CopyTo(free.Span);
            buffer.Advance(count);
            offset += count;
        }

        Assert.Equal(expected, buffer.Written.ToArray());
    }
}
