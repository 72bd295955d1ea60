using Hypha.Protocol.Buffers;

namespace Hypha.Protocol.Tests.WebSocketFrames;

public sealed class MessageBufferTests
{
    [Fact]
    public void Pieces_accumulate_up_to_the_limit_and_no_further()
    {
        const int limit = 100_000;
        using var buffer = new MessageBuffer(limit);
        int received = 0;
        while (true)
        {
            Memory<byte> free = buffer.GetFreeMemory();
            if (free.IsEmpty)
            {
                break;
            }

            int count = Math.Min(free.Length, 7000);
            free.Span[..count].Fill((byte)(received % 251));
            buffer.Advance(count);
            received += count;
        }

        Assert.Equal(limit, received);
        Assert.Equal(limit, buffer.Written.Length);
        buffer.Reset();
        Assert.Equal(0, buffer.Length);
        Assert.False(buffer.GetFreeMemory().IsEmpty);
    }

    [Fact]
    public void Content_survives_growth()
    {
        using var buffer = new MessageBuffer(1_000_000);
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
